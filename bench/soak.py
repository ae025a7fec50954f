"""Soak: sessions and edits against one server for N minutes; memory and latency over time.

One `codemyspec-lsp` process (stdio) on a temporary workspace whose agent is the offline
replay agent. The load loops, as one busy editor would: a whole design session (start,
then next step / run the command / report, to the end), then 20 edits of an open 500-line
design (didChange, then a pull of its diagnostics), then listSessions and getSession.
The workspace stays the same size, as one person's does over a day: each session's design
file is deleted once the session is done, and every `--prune-every` minutes the finished
sessions older than a minute are pruned by `codemyspec sessions prune` in its own process
(as a user or a cron job would), so the store does not grow by a thousand sessions in
half an hour. Without that, the server's memory grows with the history it is asked to
list, which is no leak (`--prune-every 0` shows it).
Every `--interval` seconds it prints the server's RSS (VmRSS of /proc/<pid>/status) and
the median and p95 latency of edit -> diagnostics and of reportResult in that interval.

Verdict against the goal: RSS flat within 20% (the largest sample after the first
interval, the warm-up, against the first sample after it) and no latency drift (the
median of the last quarter of the intervals at most 1.5x that of the first quarter after
warm-up, or within 2 ms of it).

    .venv/bin/python bench/soak.py [--minutes 30] [--interval 30] [--trace DIR]

`--trace DIR` runs the server under tracemalloc (bench/traced_server.py), takes a snapshot
at the end of every interval and prints what grew from the first interval after warm-up to
the last, by traceback (for diagnosis: tracing slows the server down severalfold).

Exit status 0 when the goal is met, 1 otherwise. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

SERVER = [sys.executable, "-m", "codemyspec_lsp"]
TRACED_SERVER = [sys.executable, str(Path(__file__).with_name("traced_server.py"))]
TOP_GROWTH = 12
RSS_GOAL = 1.20
DRIFT_GOAL = 1.5
DRIFT_SLACK_MS = 2.0
EDITS_PER_ROUND = 20
EDITED_LINE = 250
CONFIG = """
[project]
name = "Shop"

[agent]
command = ["{python}", "-m", "codemyspec_lsp.demo.replay_agent"]
timeout_seconds = 60

[environment]
setup = "none"
"""


def design(lines: int) -> str:
    """A design of about `lines` lines: the known sections, then a long component list."""
    head = "# Accounts\n\n## Purpose\nOwns accounts.\n\n## Components\n\n"
    body = []
    n = 0
    while len(body) < lines:
        n += 1
        body += [
            f"### Shop.Accounts.Part{n}",
            "",
            "| field | value |",
            "| --- | --- |",
            "| type | schema |",
            "",
            f"Part {n} of the accounts.",
            "",
        ]
    return head + "\n".join(body) + "\n"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Interval:
    minute: float
    rss_kib: int
    edits_ms: list[float] = field(default_factory=list)
    reports_ms: list[float] = field(default_factory=list)
    sessions: int = 0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values or [0])[0]


def run_command(command: dict[str, Any]) -> dict[str, Any]:
    """A client running a step: argv, never a shell."""
    if command["kind"] == "noop":
        return {"status": "ok"}
    started = time.monotonic()
    done = subprocess.run(
        command["argv"],
        cwd=command["cwd"],
        input=command.get("stdin"),
        env={**os.environ, **command["env"], "CODEMYSPEC_REPLAY_DELAY": "0"},
        capture_output=True,
        text=True,
        timeout=command["timeoutMs"] / 1000,
        check=False,
    )
    return {
        "status": "ok" if done.returncode == 0 else "error",
        "code": done.returncode,
        "stdout": done.stdout[-5000:],
        "durationMs": int((time.monotonic() - started) * 1000),
    }


def plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Soak:
    def __init__(self, root: Path, trace: Path | None = None) -> None:
        self.root = root
        self.trace = trace
        self.client = LanguageClient("soak", "1")
        self.version = 1
        self.uri = (root / "docs/design/shop/accounts.md").as_uri()
        self.text = design(500)
        self.sessions = 0
        self.pruned = 0

        for method in (
            "codemyspec/sessionChanged",
            types.WINDOW_LOG_MESSAGE,
            types.WINDOW_SHOW_MESSAGE,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
        ):
            self.client.feature(method)(lambda ls, params: None)

        @self.client.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(ls: Any, params: types.ConfigurationParams) -> list[Any]:
            return [None for _ in params.items]

    async def start(self) -> int:
        server = SERVER if self.trace is None else [*TRACED_SERVER, str(self.trace)]
        await self.client.start_io(*server)
        assert self.client._server is not None
        capabilities = types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                diagnostic=types.DiagnosticClientCapabilities()
            )
        )
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=self.root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(self.root.as_uri(), "shop")],
            )
        )
        self.client.initialized(types.InitializedParams())
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(self.uri, "markdown", self.version, self.text)
            )
        )
        return self.client._server.pid

    async def call(self, name: str, params: dict[str, Any]) -> Any:
        return plain(await self.client.protocol.send_request_async(name, params))

    async def session(self, interval: Interval) -> None:
        self.sessions += 1
        session = await self.call("codemyspec/startSession", {"context": f"Soak{self.sessions}"})
        while True:
            step = await self.call("codemyspec/nextStep", {"sessionId": session["id"]})
            if step["kind"] == "done":
                if step["status"] != "success":
                    raise RuntimeError(f"session ended {step['status']}")
                break
            result = await asyncio.to_thread(run_command, step["command"])
            started = time.perf_counter()
            await self.call(
                "codemyspec/reportResult",
                {
                    "sessionId": session["id"],
                    "interactionId": step["interactionId"],
                    "result": result,
                },
            )
            interval.reports_ms.append((time.perf_counter() - started) * 1000)
        await self.call("codemyspec/listSessions", {})
        done = await self.call("codemyspec/getSession", {"sessionId": session["id"]})
        interval.sessions += 1
        (self.root / done["context"]["designFile"]).unlink(missing_ok=True)

    def prune(self) -> None:
        """Finished sessions older than a minute go, as `codemyspec sessions prune` does it."""
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "codemyspec_lsp.cli.main",
                "sessions",
                "prune",
                "--workspace",
                str(self.root),
                "--older-than",
                "60s",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        self.pruned += int(done.stdout.split()[1])  # "deleted N session(s)..."

    async def edits(self, interval: Interval) -> None:
        for _ in range(EDITS_PER_ROUND):
            # Type a character into a line, then take it out again: the document (and so
            # the work per validation) stays the same over the whole soak.
            self.version += 1
            typing = self.version % 2 == 0
            end = types.Position(EDITED_LINE, 0 if typing else 1)
            started = time.perf_counter()
            self.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version=self.version, uri=self.uri),
                    [
                        types.TextDocumentContentChangePartial(
                            range=types.Range(types.Position(EDITED_LINE, 0), end),
                            text="x" if typing else "",
                        )
                    ],
                )
            )
            await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(types.TextDocumentIdentifier(self.uri))
            )
            interval.edits_ms.append((time.perf_counter() - started) * 1000)

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def verdict(intervals: list[Interval]) -> tuple[bool, list[str]]:
    steady = intervals[1:] if len(intervals) > 2 else intervals
    lines = []
    base = steady[0].rss_kib
    peak = max(i.rss_kib for i in steady)
    rss_ok = peak <= base * RSS_GOAL
    lines.append(
        f"RSS: {base / 1024:.1f} MiB after warm-up, peak {peak / 1024:.1f} MiB "
        f"({peak / base:.2f}x; goal <= {RSS_GOAL:.2f}x): {'met' if rss_ok else 'MISSED'}"
    )
    quarter = max(1, len(steady) // 4)
    ok = rss_ok
    for label, pick in (("edit -> diagnostics", "edits_ms"), ("reportResult", "reports_ms")):
        first = statistics.median([v for i in steady[:quarter] for v in getattr(i, pick)])
        last = statistics.median([v for i in steady[-quarter:] for v in getattr(i, pick)])
        drift_ok = last <= first * DRIFT_GOAL or last - first <= DRIFT_SLACK_MS
        ok = ok and drift_ok
        lines.append(
            f"{label}: median {first:.1f} ms in the first quarter, {last:.1f} ms in the last "
            f"({last / first:.2f}x; goal <= {DRIFT_GOAL}x or +{DRIFT_SLACK_MS:g} ms): "
            f"{'met' if drift_ok else 'MISSED'}"
        )
    return ok, lines


def growth(trace: Path) -> list[str]:
    """What grew between the first snapshot after warm-up and the last, by traceback."""
    shots = sorted(trace.glob("snapshot-*.pickle"))
    if len(shots) < 3:
        return ["(fewer than three snapshots: nothing to compare)"]
    first = tracemalloc.Snapshot.load(str(shots[1]))
    last = tracemalloc.Snapshot.load(str(shots[-1]))
    lines = [f"tracemalloc: {shots[1].name} -> {shots[-1].name}, largest growth by traceback"]
    for stat in last.compare_to(first, "traceback")[:TOP_GROWTH]:
        lines.append(f"{stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks")
        frames = [f for f in stat.traceback if "codemyspec" in f.filename or "pygls" in f.filename]
        for frame in (frames or list(stat.traceback))[-6:]:
            lines.append(f"    {frame.filename}:{frame.lineno}")
    return lines


async def soak(
    minutes: float, interval_s: float, trace: Path | None = None, prune_every: float = 5.0
) -> bool:
    with tempfile.TemporaryDirectory(prefix="codemyspec-soak-") as tmp:
        root = Path(tmp) / "shop"
        (root / ".codemyspec").mkdir(parents=True)
        (root / ".codemyspec" / "config.toml").write_text(CONFIG, encoding="utf-8")
        (root / "docs/design/shop").mkdir(parents=True)
        runner = Soak(root, trace)
        (root / "docs/design/shop/accounts.md").write_text(runner.text, encoding="utf-8")
        pid = await runner.start()
        start = time.monotonic()
        end = start + minutes * 60
        intervals: list[Interval] = []
        next_prune = start + prune_every * 60
        print(
            f"soak: {minutes:g} min against server pid {pid}, a row every {interval_s:g} s, "
            f"finished sessions pruned every {prune_every:g} min; load average "
            f"{os.getloadavg()[0]:.1f} at the start"
        )
        print()
        print(
            "| minute | RSS MiB | sessions | edit->diag median ms | p95 | "
            "reportResult median ms | p95 |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        while time.monotonic() < end:
            current = Interval(minute=0.0, rss_kib=0)
            interval_end = min(end, time.monotonic() + interval_s)
            while time.monotonic() < interval_end:
                await runner.session(current)
                await runner.edits(current)
                if prune_every and time.monotonic() >= next_prune:
                    await asyncio.to_thread(runner.prune)
                    next_prune = time.monotonic() + prune_every * 60
            current.minute = (time.monotonic() - start) / 60
            current.rss_kib = rss_kib(pid)
            intervals.append(current)
            if trace is not None:
                os.kill(pid, signal.SIGUSR1)
            print(
                f"| {current.minute:.1f} | {current.rss_kib / 1024:.1f} | {current.sessions} | "
                f"{statistics.median(current.edits_ms):.1f} | {p95(current.edits_ms):.1f} | "
                f"{statistics.median(current.reports_ms):.1f} | {p95(current.reports_ms):.1f} |",
                flush=True,
            )
        await runner.stop()
    ok, lines = verdict(intervals)
    print()
    print(
        f"{runner.sessions} sessions, {runner.version - 1} edits in {minutes:g} min; "
        f"load average {os.getloadavg()[0]:.1f} at the end; {runner.pruned} finished "
        "sessions pruned meanwhile"
    )
    for line in lines:
        print(line)
    print(f"verdict: {'goal met' if ok else 'goal MISSED'}")
    if trace is not None:
        print()
        print("\n".join(growth(trace)))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds per printed row")
    parser.add_argument("--trace", type=Path, metavar="DIR", help="tracemalloc snapshots here")
    parser.add_argument(
        "--prune-every", type=float, default=5.0, metavar="MIN", help="0: never prune"
    )
    args = parser.parse_args()
    ok = asyncio.run(soak(args.minutes, args.interval, args.trace, args.prune_every))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
