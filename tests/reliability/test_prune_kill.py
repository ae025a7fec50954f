"""SIGKILL `codemyspec sessions prune` at random instants: the store stays whole.

Each round copies one store (finished sessions, active ones, blobs some of them share),
forks a process that runs the real CLI entry point (`codemyspec sessions prune`) once the
test says go, and kills it after a random delay drawn from the length of an unkilled prune
measured in the same run. After every kill, before anything opens the store, every blob a
session or index file names is on disk; then the store opens, every session it lists reads
back whole, the active sessions are exactly as before, and a prune run to its end leaves
only them and the blobs they use.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import time
from pathlib import Path

from rel_harness import store_snapshot

from codemyspec_lsp.cli.main import main as codemyspec
from codemyspec_lsp.session.models import Interaction, Result, Session, SessionContext
from codemyspec_lsp.store import TinyDBSessionRepository, open_repository
from store.store_helpers import agent_interaction

KILLS = 40
FINISHED_SESSIONS = 40
ACTIVE_SESSIONS = 3
DIGEST = re.compile(rb"[0-9a-f]{64}")
INTEGRITY = re.compile(rb'^\{"_integrity":\{"sha256":"[0-9a-f]{64}"\}')


def interaction(seq: int, prompt: str, output: str) -> Interaction:
    done = agent_interaction(seq, prompt)
    done.result = Result(status="ok", code=0, stdout=output, stderr="")
    return done


def build_store(root: Path) -> None:
    repo = TinyDBSessionRepository(root)
    shared = "the prompt every session shares\n" + "p" * 3_000
    for n in range(FINISHED_SESSIONS + ACTIVE_SESSIONS):
        finished = n < FINISHED_SESSIONS
        context = SessionContext(name=f"C{n}", module=f"Shop.C{n}", design_file=f"docs/c{n}.md")
        session = Session(
            id=f"s{n:03d}",
            context=context,
            status="complete" if finished else "active",
            interactions=[
                interaction(1, shared, f"output {n}\n" + "o" * 4_000),
                interaction(2, f"prompt {n}\n" + "q" * 3_000, f"more {n}\n" + "m" * 3_000),
            ],
        )
        repo.create(session)


def blobs_named(store: Path) -> set[str]:
    files = [*store.glob("sessions/*.json"), *store.glob("sessions*.json")]
    bodies = [INTEGRITY.sub(b"", path.read_bytes()) for path in files]
    return {m.decode() for body in bodies for m in DIGEST.findall(body)}


def blob_files(store: Path) -> set[str]:
    return {p.name for p in (store / "blobs").iterdir() if not p.name.startswith(".")}


def run_prune(root: Path, delay: float | None, *, at_intent: bool = False) -> float:
    """Fork `codemyspec sessions prune`, start it, SIGKILL it after ``delay`` (None: let it
    finish), counted from when its intent file appears if ``at_intent`` (the deletion has
    begun: an event, however slow the machine); the seconds it ran."""
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the CLI process
        os.close(go_write)
        os.read(go_read, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os._exit(codemyspec(["sessions", "prune", "--workspace", str(root)]))
    os.close(go_read)
    started = time.perf_counter()
    os.write(go_write, b"g")
    os.close(go_write)
    if at_intent:
        intent = root / ".codemyspec" / "sessions.prune"
        while not intent.exists():
            if os.waitpid(pid, os.WNOHANG)[0]:  # it ended before deleting anything
                return time.perf_counter() - started
            time.sleep(0.0005)
    if delay is not None:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - started
    if delay is None:
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return elapsed


def check_after_kill(root: Path, active: dict[str, Session], active_files: dict[str, bytes]) -> str:
    """The store's state after a kill; raises if a session lost a blob or anything broke."""
    store = root / ".codemyspec"
    missing = blobs_named(store) - blob_files(store)
    interrupted = (store / "sessions.prune").exists()
    # Blobs only disappear once no session file or index names them.
    assert not missing, f"files name missing blobs {sorted(missing)[:3]}"
    remaining = len(list((store / "sessions").glob("*.json")))

    repo = open_repository(root)  # a fresh process's view: finishes what the kill left
    listed = {s.id for s in repo.list()}
    assert set(active) <= listed
    for session_id in listed:
        repo.get(session_id)  # reads back whole, blobs and all
    assert {sid: repo.get(sid) for sid in active} == active
    snapshot = store_snapshot(root)
    assert {k: v for k, v in snapshot.items() if k in active_files} == active_files
    assert not (store / "sessions.prune").exists()

    repo.prune()
    assert {s.id for s in repo.list()} == set(active)
    assert blob_files(store) == blobs_named(store)
    if interrupted:
        return "mid-deletion"
    if remaining == len(active):
        return "after deletion"
    return "before deletion"


def test_prune_killed_at_random_instants_leaves_a_whole_store(tmp_path: Path) -> None:
    template = tmp_path / "template"
    build_store(template)
    repo = open_repository(template)
    active = {s.id: repo.get(s.id) for s in repo.list("active")}
    active_files = {
        k: v for k, v in store_snapshot(template).items() if k.split("/")[-1][:-5] in active
    }
    assert len(active) == ACTIVE_SESSIONS and len(active_files) == ACTIVE_SESSIONS

    whole = tmp_path / "whole"
    shutil.copytree(template, whole)
    full_run = run_prune(whole, None)
    check_after_kill(whole, active, active_files)

    rng = random.Random(17)
    outcomes: dict[str, int] = {}
    for round_no in range(KILLS):
        root = tmp_path / f"round-{round_no}"
        shutil.copytree(template, root)
        # One round in four aims at the deletion itself: killed as its intent appears.
        at_intent = round_no % 4 == 3
        run_prune(root, 0.0 if at_intent else rng.uniform(0, full_run), at_intent=at_intent)
        outcome = check_after_kill(root, active, active_files)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        shutil.rmtree(root)
    print(f"unkilled prune {full_run * 1000:.0f} ms; kills: {outcomes}")
    # Some kills fell between the intent and its end, so the recovery path was taken.
    assert outcomes.get("mid-deletion", 0) >= 1, outcomes
