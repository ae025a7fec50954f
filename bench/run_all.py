"""Run every benchmark under bench/ and write docs/performance.md.

Each benchmark is run as its own process (so one that crashes or is missing does not stop
the others) and prints Markdown. This script keeps each one's tables verbatim and puts
a summary on top: every figure with its goal, the floor it is compared with (a bare
markdown-it-py parse, a bare pygls start-up, a plain TinyDB JSONStorage), the ratio, and
whether the goal is met; then the machine (nproc, CPU model, Python) and the date.

    .venv/bin/python bench/run_all.py [--quick] [--output docs/performance.md]

`--quick` passes smaller sample counts to each benchmark (for trying this script out;
the committed figures come from a run without it). The soak (bench/soak.py) is not run:
it takes 30 minutes; its latest figures are kept in docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TIMEOUT_S = 1800


@dataclass(frozen=True)
class Bench:
    script: str
    title: str
    args: tuple[str, ...] = ()
    quick_args: tuple[str, ...] = ()


BENCHES = (
    Bench(
        "validate_bench.py", "Validation against a bare markdown-it-py parse", (), ("--repeat", "2")
    ),
    Bench(
        "store_bench.py",
        "Store latency as history grows, against plain TinyDB; TinyDB and PostgreSQL",
        (),
        ("--sizes", "10", "1000", "--samples", "10", "--plain-max", "100", "--seconds", "1"),
    ),
    Bench(
        "lsp_bench.py",
        "Server latency over stdio, against a bare pygls server",
        (),
        ("--edits", "20", "--starts", "3", "--firsts", "3"),
    ),
    Bench(
        "architecture_bench.py",
        "The whole architecture over LSP: 1,000 designs",
        (),
        ("--designs", "200", "--edits", "6", "--renames", "3", "--starts", "1"),
    ),
    Bench(
        "mcp_bench.py",
        "validate_design over MCP, against the bare validation",
        (),
        ("--calls", "20", "--starts", "2"),
    ),
)


@dataclass
class Outcome:
    bench: Bench
    output: str
    status: str  # "ok", or what went wrong
    seconds: float


@dataclass(frozen=True)
class Figure:
    name: str
    value: str
    floor: str
    floor_value: str
    ratio: str
    goal: str
    met: str


def run(bench: Bench, quick: bool) -> Outcome:
    path = BENCH / bench.script
    if not path.exists():
        return Outcome(bench, "", "missing: the script is not in bench/ yet", 0.0)
    args = bench.quick_args if quick else bench.args
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(path), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired as error:
        out = error.stdout if isinstance(error.stdout, str) else ""
        return Outcome(bench, out, f"timed out after {TIMEOUT_S} s", TIMEOUT_S)
    seconds = time.monotonic() - started
    status = "ok" if done.returncode == 0 else f"exit status {done.returncode}"
    if done.returncode != 0 and done.stderr.strip():
        status += ": " + done.stderr.strip().splitlines()[-1]
    return Outcome(bench, done.stdout, status, seconds)


# -- the summary: figures read back from each benchmark's table ---------------------------


def table_rows(output: str) -> list[list[str]]:
    rows = []
    for raw in output.splitlines():
        line = raw.strip()
        if line.startswith("|") and not re.fullmatch(r"\|[\s:|-]+\|", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def number(cell: str) -> float | None:
    match = re.search(r"-?[\d,]*\.?\d+", cell)
    return float(match.group().replace(",", "")) if match else None


def yes(passed: bool) -> str:
    return "yes" if passed else "**no**"


def validate_figures(output: str) -> list[Figure]:
    figures = []
    for row in table_rows(output)[1:]:
        if len(row) < 4:
            continue
        ours, bare, ratio = number(row[1]), number(row[2]), number(row[3])
        if ours is None or bare is None or ratio is None:
            continue
        figures.append(
            Figure(
                f"parse + validate, {row[0]}",
                row[1],
                "bare markdown-it-py parse",
                row[2],
                f"{ratio:.2f}",
                "ratio <= 1.5",
                yes(ratio <= 1.5),
            )
        )
    return figures


def store_figures(output: str) -> list[Figure]:
    rows = [r for r in table_rows(output) if len(r) >= 7 and number(r[0]) is not None]
    figures = []
    # The latency table: TinyDB store in cells 1-2, plain TinyDB in 3-4, PostgreSQL store in 5-6.
    for name, column in (("TinyDB", 1), ("PostgreSQL", 5)):
        measured = [r for r in rows if len(r) > column and number(r[column]) is not None]
        for row in measured:
            median, plain = number(row[column]), number(row[3])
            assert median is not None
            figures.append(
                Figure(
                    f"{name}: next step + report result, {row[0]} stored interactions (median)",
                    row[column],
                    "plain TinyDB JSONStorage, same work",
                    row[3] if plain else "not run at this size",
                    f"{median / plain:.3f}" if plain else "not run",
                    "median <= 10 ms",
                    yes(median <= 10),
                )
            )
        first = number(measured[0][column]) if measured else None
        if len(measured) >= 2 and first:
            last = number(measured[-1][column]) or 0.0
            figures.append(
                Figure(
                    f"{name}: growth of the median, {measured[0][0]} -> "
                    f"{measured[-1][0]} interactions",
                    f"{last / first:.2f}x",
                    "the same store at 10 interactions",
                    measured[0][column],
                    f"{last / first:.2f}",
                    "<= 2x",
                    yes(last / first <= 2),
                )
            )
    for row in table_rows(output):
        if len(row) == 3 and number(row[0]) is not None and "ms" not in row[1]:
            figures.append(
                Figure(
                    f"throughput, {row[0]} concurrent server(s): TinyDB | PostgreSQL",
                    f"{row[1]} | {row[2]} steps/s",
                    "none (figure only)",
                    "",
                    "",
                    "",
                    "",
                )
            )
    return figures


def lines_of(name: str) -> str | None:
    """The document size a figure's name mentions ("5,000 lines"), if any."""
    match = re.search(r"([\d,]+) lines", name)
    return match.group(1) if match else None


def lsp_figures(output: str) -> list[Figure]:
    rows = [r for r in table_rows(output)[1:] if len(r) >= 4]
    bare = next((number(r[1]) for r in rows if "bare pygls" in r[0]), None)
    parses = {lines_of(r[0]): number(r[1]) for r in rows if "bare markdown-it" in r[0]}
    warm = next((number(r[1]) for r in rows if r[0].startswith("second startSession")), None)
    figures = []
    for row in rows:
        if "first startSession" in row[0] and warm:
            # No goal of its own: shown beside a warm server's startSession, so that a
            # regression of the first command (imports, the start-up scan) shows.
            value = number(row[1]) or 0.0
            figures.append(
                Figure(
                    row[0],
                    f"{row[1]} ms",
                    "second startSession, same process",
                    f"{warm:.1f} ms",
                    f"{value / warm:.1f}",
                    "none set (watch the ratio)",
                    "",
                )
            )
            continue
        if "bare pygls" in row[0] or not row[2]:
            continue
        value = number(row[1])
        floor, floor_value, ratio = "none (absolute goal)", "", ""
        if "initialize" in row[0] and bare and value is not None:
            floor, floor_value, ratio = (
                "bare pygls server start-up",
                f"{bare:.1f} ms",
                f"{value / bare:.2f}",
            )
        parse = parses.get(lines_of(row[0]))
        if "initialize" not in row[0] and parse and value is not None:
            floor, floor_value, ratio = (
                "bare markdown-it-py parse of the whole document",
                f"{parse:.1f} ms",
                f"{value / parse:.2f}",
            )
        figures.append(
            Figure(row[0], f"{row[1]} ms", floor, floor_value, ratio, row[2], row[3] or "")
        )
    return figures


def mcp_figures(output: str) -> list[Figure]:
    figures = []
    for row in table_rows(output)[1:]:
        if len(row) < 6:
            continue
        value, bare = number(row[1]), number(row[3])
        if value is None or bare is None or not bare:
            continue
        figures.append(
            Figure(
                row[0],
                row[1],
                "bare validate_design, same design",
                row[3],
                f"{value / bare:.2f}",
                row[4],
                row[5],
            )
        )
    return figures


def architecture_figures(output: str) -> list[Figure]:
    figures = []
    for row in table_rows(output)[1:]:
        if len(row) < 6 or not row[4] or not row[3]:
            continue
        floor, floor_value, ratio = "none (absolute goal)", "", ""
        own = re.search(r"the edit above: ([\d.]+) ms", row[3])
        bare = re.search(r"bare validate_design[^:]*: ([\d.]+ s) \(ratio ([\d.]+)\)", row[3])
        value = number(row[1])
        if own and value is not None:
            floor, floor_value = "the same design's own edit", f"{own.group(1)} ms"
            ratio = f"{value / float(own.group(1)):.2f}"
        elif bare:
            floor, floor_value, ratio = "bare validate_design, same files", *bare.groups()
        figures.append(Figure(row[0], row[1], floor, floor_value, ratio, row[4], row[5]))
    return figures


READERS = {
    "validate_bench.py": validate_figures,
    "store_bench.py": store_figures,
    "lsp_bench.py": lsp_figures,
    "mcp_bench.py": mcp_figures,
    "architecture_bench.py": architecture_figures,
}


# -- the report -------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    return (
        f"{os.cpu_count()} cores (nproc), {model}; Python {platform.python_version()} "
        f"({platform.python_implementation()}); {platform.system()} {platform.release()}"
    )


def report(outcomes: list[Outcome], quick: bool) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Performance",
        "",
        f"Written by `bench/run_all.py` on {now}{' (--quick: reduced samples)' if quick else ''}.",
        "",
        f"Machine: {machine()}.",
        "",
        "Every figure with its goal, the floor it is compared with and the ratio "
        "(ours / floor). The tables each benchmark printed follow, unchanged.",
        "",
        "| figure | measured | floor | floor measured | ratio | goal | met |",
        "| --- | ---: | --- | ---: | ---: | --- | --- |",
    ]
    missing = []
    for outcome in outcomes:
        figures = READERS[outcome.bench.script](outcome.output) if outcome.output else []
        if outcome.status != "ok" or not figures:
            missing.append(outcome)
        for f in figures:
            lines.append(
                f"| {f.name} | {f.value} | {f.floor} | {f.floor_value} | {f.ratio} | "
                f"{f.goal} | {f.met} |"
            )
    if missing:
        lines += ["", "Not in the summary:", ""]
        for outcome in missing:
            lines.append(f"- `bench/{outcome.bench.script}`: {outcome.status}")
    for outcome in outcomes:
        lines += ["", f"## {outcome.bench.title} (`bench/{outcome.bench.script}`)", ""]
        lines.append(f"Ran in {outcome.seconds:.0f} s; {outcome.status}.")
        if outcome.output.strip():
            lines += ["", outcome.output.strip()]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples, for a try-out")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--extra", type=Path, help="Markdown appended as is (e.g. a soak run)")
    args = parser.parse_args()
    outcomes = []
    for bench in BENCHES:
        print(f"running bench/{bench.script} ...", file=sys.stderr, flush=True)
        outcomes.append(run(bench, args.quick))
        print(f"  {outcomes[-1].status} ({outcomes[-1].seconds:.0f} s)", file=sys.stderr)
    text = report(outcomes, args.quick)
    if args.extra is not None:
        text += "\n" + args.extra.read_text(encoding="utf-8").strip() + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
