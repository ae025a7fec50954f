"""Store latency as history grows: "next step + report result" on a session.

One sample is the store work of one step of a session: an update that appends an
interaction whose command carries a fresh ~50 KB prompt (in ``stdin`` and
``metadata.prompt``), then an update that sets its result with a fresh ~50 KB stdout.
It runs against a store already holding 10, 1,000 and 10,000 interactions (sessions of
6 interactions each, 50 KB prompt and output each, finished), and the same work against a plain
TinyDB ``JSONStorage`` holding one document per session with its texts inline.

    .venv/bin/python bench/store_bench.py [--samples 40] [--plain-max 1000]

Prints a Markdown table (milliseconds, median and p95 per sample).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.models import Command, Interaction, Result, Session, SessionContext
from codemyspec_lsp.store import TinyDBSessionRepository

TEXT_BYTES = 50_000
PER_SESSION = 6
HISTORY_POOL = 100  # distinct history texts; see pool_text


def text(label: str) -> str:
    """A distinct ~50 KB text (hex, so it cannot compress into a shared blob)."""
    seed = hashlib.sha256(label.encode()).hexdigest()
    return (label + "\n" + seed * (TEXT_BYTES // 64 + 1))[:TEXT_BYTES]


def pool_text(kind: str, n: int) -> str:
    # History texts come from a pool so that 10,000 stored interactions take ~10 MB of
    # blobs on this shared machine instead of 1 GB; a step never reads other sessions'
    # blobs, so only the number of files in blobs/ differs.
    return text(f"{kind}-{n % HISTORY_POOL}")


def interaction(seq: int, prompt: str, stdout: str | None) -> Interaction:
    command = Command(
        id=f"c{seq}",
        step="generate_context_design",
        kind="agent",
        argv=["claude", "-p"],
        cwd="/workspace",
        stdin=prompt,
        description="Write the context design",
        metadata={"prompt": prompt, "designFile": "docs/design/shop/accounts.md"},
    )
    result = None if stdout is None else Result(status="ok", code=0, stdout=stdout, stderr="")
    return Interaction(
        id=f"i{seq}", seq=seq, step="generate_context_design", command=command, result=result
    )


def session(
    session_id: str, interactions: list[Interaction], status: SessionStatus = "active"
) -> Session:
    context = SessionContext(
        name="Accounts", module="Shop.Accounts", design_file="docs/design/shop/accounts.md"
    )
    return Session(id=session_id, context=context, interactions=interactions, status=status)


def history(size: int) -> list[Session]:
    sessions, n = [], 0
    while n < size:
        count = min(PER_SESSION, size - n)
        items = [
            interaction(k + 1, pool_text("prompt", n + k), pool_text("out", n + k))
            for k in range(count)
        ]
        sessions.append(session(f"h{len(sessions)}", items, "complete"))
        n += count
    return sessions


def step_changes(sample: int) -> tuple[Callable[[Session], Session], Callable[[Session], Session]]:
    prompt, stdout = text(f"new-prompt-{sample}"), text(f"new-out-{sample}")

    def next_step(s: Session) -> Session:
        s.interactions.append(interaction(len(s.interactions) + 1, prompt, None))
        return s

    def report(s: Session) -> Session:
        s.interactions[-1].result = Result(status="ok", code=0, stdout=stdout, stderr="")
        return s

    return next_step, report


class StoreCase:
    """This store holding ``size`` interactions, and the session a sample works on."""

    def __init__(self, root: Path, size: int) -> None:
        self.size = size
        self.repo = TinyDBSessionRepository(root)
        for stored in history(size):
            self.repo.create(stored)
        self.current = ""
        self.steps: list[float] = []

    def step(self, sample: int) -> None:
        if sample % PER_SESSION == 0:
            self.current = f"work{sample}"
            self.repo.create(session(self.current, []))
        next_step, report = step_changes(sample)
        start = time.perf_counter()
        self.repo.update(self.current, next_step)
        self.repo.update(self.current, report)
        self.steps.append(time.perf_counter() - start)


def bench_store(work: Path, sizes: list[int], samples: int) -> dict[int, tuple[list, list]]:
    """Step and finish times per size, the sizes measured in turn sample by sample so that
    load from other processes on the machine falls on every size alike."""
    cases = [StoreCase(work / f"store-{size}", size) for size in sizes]
    for sample in range(samples):
        for case in cases:
            case.step(sample)
    finishes: dict[int, list[float]] = {case.size: [] for case in cases}
    for case in cases:
        finishes[case.size] = finish_all(case.repo)
    return {case.size: (case.steps, finishes[case.size]) for case in cases}


def finish_all(repo: TinyDBSessionRepository) -> list[float]:
    """Time ending each benchmark session: the one write that touches the finished index."""

    def finish(s: Session) -> Session:
        s.status = "complete"
        return s

    times = []
    for active in repo.list("active"):
        start = time.perf_counter()
        repo.update(active.id, finish)
        times.append(time.perf_counter() - start)
    return times


def bench_plain(root: Path, size: int, samples: int) -> list[float]:
    db = TinyDB(root / "plain.json")
    table = db.table("sessions", cache_size=0)
    for stored in history(size):
        table.insert(stored.dump())
    times, doc_id = [], 0
    for sample in range(samples):
        if sample % PER_SESSION == 0:
            doc_id = table.insert(session(f"work{sample}", []).dump())
        next_step, report = step_changes(sample)
        start = time.perf_counter()
        for change in (next_step, report):
            current = Session.model_validate(table.get(doc_id=doc_id))
            new = change(current).dump()
            table.update(lambda doc, new=new: doc.update(new), doc_ids=[doc_id])
        times.append(time.perf_counter() - start)
    db.close()
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1_000, 10_000])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--plain-max", type=int, default=1_000, help="largest plain history")
    parser.add_argument("--plain-samples", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="store-bench-"))
    try:
        measured = bench_store(work, args.sizes, args.samples)
        plain: dict[int, tuple[float, float]] = {}
        for size in args.sizes:
            if size <= args.plain_max:
                samples = args.samples if size <= 100 else args.plain_samples
                plain_root = work / f"plain-{size}"
                plain_root.mkdir()
                plain[size] = summary(bench_plain(plain_root, size, samples))
                shutil.rmtree(plain_root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [(size, summary(measured[size][0]), plain.get(size)) for size in args.sizes]
    finish_rows = [(size, summary(measured[size][1])) for size in args.sizes]

    columns = ["stored interactions", "this store: median", "p95"]
    columns += ["plain TinyDB JSONStorage: median", "p95"]
    print("| " + " | ".join(columns) + " |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size, (median, p95), plain_row in rows:
        plain_cells = (
            f"{plain_row[0]:,.1f} ms | {plain_row[1]:,.1f} ms"
            if plain_row
            else "not run (see note) | "
        )
        print(f"| {size:,} | {median:.1f} ms | {p95:.1f} ms | {plain_cells} |")
    print("\n| stored interactions | finishing a session: median | p95 |")
    print("| ---: | ---: | ---: |")
    for size, (median, p95) in finish_rows:
        print(f"| {size:,} | {median:.1f} ms | {p95:.1f} ms |")
    base, last = rows[0][1][0], rows[-1][1][0]
    print(f"\ngrowth of the median from {rows[0][0]:,} to {rows[-1][0]:,}: {last / base:.2f}x")
    print(
        f"\nOne sample = one update appending an interaction with a fresh 50 KB prompt plus "
        f"one update setting its result with a fresh 50 KB stdout; {args.samples} samples "
        f"({args.plain_samples} for plain TinyDB above 100 interactions). Plain TinyDB was "
        f"run up to {args.plain_max:,} stored interactions: above that its file holds every "
        f"text inline (about 100 KB per interaction) and each update rewrites all of it."
    )


if __name__ == "__main__":
    main()
