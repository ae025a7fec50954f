"""Store latency as history grows: "next step + report result" on a session, on both
stores (the workspace's TinyDB files and PostgreSQL), and their throughput with several
server processes at once.

One sample is the store work of one step of a session: an update that appends an
interaction whose command carries a fresh ~50 KB prompt (in ``stdin`` and
``metadata.prompt``), then an update that sets its result with a fresh ~50 KB stdout.
It runs against a store already holding 10, 1,000 and 10,000 interactions (sessions of
6 interactions each, 50 KB prompt and output each, finished), and the same work against a plain
TinyDB ``JSONStorage`` holding one document per session with its texts inline.
Throughput: 1, 4 and 8 processes, each stepping sessions of its own as fast as it can.

PostgreSQL: ``--pg-url URL`` (a database the role may create a schema in), else a
throwaway cluster is started as the tests do (tests/pg_cluster.py).

    .venv/bin/python bench/store_bench.py [--samples 40] [--plain-max 1000]
        [--stores tinydb postgresql] [--pg-url URL] [--servers 1 4 8] [--seconds 3]

Prints Markdown tables (milliseconds, median and p95 per sample; steps per second).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tinydb import TinyDB

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.models import Command, Interaction, Result, Session, SessionContext
from codemyspec_lsp.store import SessionRepository, open_repository

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

    def __init__(self, repo: SessionRepository, size: int) -> None:
        self.size = size
        self.repo = repo
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


def bench_store(
    roots: dict[str, Path], sizes: list[int], samples: int
) -> dict[str, dict[int, tuple[list, list]]]:
    """Step and finish times per store and size, all measured in turn sample by sample so
    that load from other processes on the machine falls on every store and size alike."""
    cases = {
        (kind, size): StoreCase(open_repository(workspace(root, kind, size)), size)
        for kind, root in roots.items()
        for size in sizes
    }
    for sample in range(samples):
        for case in cases.values():
            case.step(sample)
    measured: dict[str, dict[int, tuple[list, list]]] = {kind: {} for kind in roots}
    for (kind, size), case in cases.items():
        measured[kind][size] = (case.steps, finish_all(case.repo))
    return measured


def workspace(root: Path, kind: str, size: int) -> Path:
    """A workspace folder whose store is ``kind``; on PostgreSQL a project per size."""
    folder = root / f"store-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "postgresql":
        url = (root / "url").read_text()
        (folder / ".codemyspec").mkdir(exist_ok=True)
        (folder / ".codemyspec" / "config.toml").write_text(
            f'[store]\nurl = "{url}"\nproject = "bench-{size}-{folder.parent.name}"\n'
        )
    return folder


def finish_all(repo: SessionRepository) -> list[float]:
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


def step_until(root: str, seconds: float, ready, go, counts) -> None:
    """One server process: steps sessions of its own until ``seconds`` have passed."""
    repo = open_repository(Path(root))
    tag = multiprocessing.current_process().name.replace("-", "")
    repo.create(session(f"t{tag}-0", []))
    ready.release()
    go.wait()
    deadline, steps, current = time.perf_counter() + seconds, 0, f"t{tag}-0"
    while time.perf_counter() < deadline:
        if steps and steps % PER_SESSION == 0:
            current = f"t{tag}-{steps}"
            repo.create(session(current, []))
        next_step, report = step_changes(steps)
        repo.update(current, next_step)
        repo.update(current, report)
        steps += 1
    counts.put(steps)


def throughput(root: Path, servers: int, seconds: float) -> float:
    """Steps per second of ``servers`` processes stepping at once on one store."""
    context = multiprocessing.get_context("fork")
    ready, go, counts = context.Semaphore(0), context.Event(), context.Queue()
    workers = [
        context.Process(target=step_until, args=(str(root), seconds, ready, go, counts))
        for _ in range(servers)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.acquire()
    go.set()
    total = sum(counts.get(timeout=seconds + 120) for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """``url``, or a throwaway PostgreSQL cluster's database for the run."""
    if url:
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from codemyspec_lsp.pgstore.channel import close_all
    from pg_cluster import running_cluster

    with running_cluster(durable=True) as cluster:  # fsync on, as TinyDB's files are
        try:
            yield cluster.create_database()
        finally:
            close_all()


def cells(row: tuple[float, float] | None) -> str:
    return f"{row[0]:,.1f} ms | {row[1]:,.1f} ms" if row else "not run | "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1_000, 10_000])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--plain-max", type=int, default=1_000, help="largest plain history")
    parser.add_argument("--plain-samples", type=int, default=5)
    parser.add_argument("--stores", nargs="+", default=["tinydb", "postgresql"])
    parser.add_argument("--pg-url", help="default: a throwaway cluster for the run")
    parser.add_argument("--servers", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput figure")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="store-bench-"))
    try:
        with database(args.pg_url if "postgresql" in args.stores else "unused") as url:
            roots = {kind: work / kind for kind in args.stores}
            for root in roots.values():
                root.mkdir()
            if "postgresql" in roots:
                (roots["postgresql"] / "url").write_text(url)
            measured = bench_store(roots, args.sizes, args.samples)
            rates = {
                kind: {
                    n: throughput(workspace(root, kind, 0), n, args.seconds) for n in args.servers
                }
                for kind, root in roots.items()
            }
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
    report(args, measured, plain, rates)


def report(args, measured, plain, rates) -> None:
    kinds = list(measured)
    tiny, pg = measured.get("tinydb"), measured.get("postgresql")
    columns = ["stored interactions", "TinyDB store: median", "p95"]
    columns += ["plain TinyDB JSONStorage: median", "p95", "PostgreSQL store: median", "p95"]
    print("| " + " | ".join(columns) + " |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        row = [
            cells(summary(tiny[size][0]) if tiny else None),
            cells(plain.get(size)),
            cells(summary(pg[size][0]) if pg else None),
        ]
        print(f"| {size:,} | " + " | ".join(row) + " |")
    print(
        "\n| stored interactions | "
        + " | ".join(f"{k}: finishing a session, median | p95" for k in kinds)
        + " |"
    )
    print("| ---: |" + " ---: | ---: |" * len(kinds))
    for size in args.sizes:
        row = [cells(summary(measured[k][size][1])) for k in kinds]
        print(f"| {size:,} | " + " | ".join(row) + " |")
    print()
    for kind in kinds:
        first = summary(measured[kind][args.sizes[0]][0])[0]
        last = summary(measured[kind][args.sizes[-1]][0])[0]
        print(
            f"{kind}: growth of the median from {args.sizes[0]:,} to {args.sizes[-1]:,}: "
            f"{last / first:.2f}x"
        )
    print("\n| concurrent servers | " + " | ".join(f"{k}: steps/s" for k in kinds) + " |")
    print("| ---: |" + " ---: |" * len(kinds))
    for n in args.servers:
        print(f"| {n} | " + " | ".join(f"{rates[k][n]:,.0f}" for k in kinds) + " |")
    print(
        f"\nOne sample = one update appending an interaction with a fresh 50 KB prompt plus "
        f"one update setting its result with a fresh 50 KB stdout; {args.samples} samples "
        f"({args.plain_samples} for plain TinyDB above 100 interactions). Plain TinyDB was "
        f"run up to {args.plain_max:,} stored interactions: above that its file holds every "
        f"text inline (about 100 KB per interaction) and each update rewrites all of it. "
        f"Throughput: that step, by N processes at once, each on sessions of its own, for "
        f"{args.seconds:g} s; PostgreSQL 15 on the same machine over TCP (127.0.0.1), "
        f"fsync on, default settings otherwise."
    )


if __name__ == "__main__":
    main()
