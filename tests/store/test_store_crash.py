"""A writer killed with SIGKILL at random instants never loses an acknowledged write
(both stores: TinyDB files, PostgreSQL transactions).

Each round forks a writer process (forked, so a round costs milliseconds rather than an
interpreter start-up) that creates sessions, appends interactions with texts large
enough to go to blobs, marks them complete (moving them to the finished index), and
appends tokens to one shared session, writing an acknowledgment line to a pipe after
each call returns. The test kills it at a random
instant, then opens the store afresh and checks every acknowledged write.

The instant does not depend on the machine's speed: a round waits for the writer's first
acknowledgment (it is working), then kills after a random delay of up to one session's
worth of writes as measured by an unkilled round in the same run.
"""

from __future__ import annotations

import os
import random
import signal
import time
import traceback
from pathlib import Path

import pytest
from store_helpers import append_interaction, append_to_state, new_session

from codemyspec_lsp.store import open_repository

KILLS = {"tinydb": 100, "postgresql": 40}
UPDATES_PER_SESSION = 3


def prompt_for(session_id: str, n: int) -> str:
    return f"{session_id} interaction {n}\n" + "x" * 3_000


def finish(session):
    session.status = "complete"
    return session


def write_until_killed(root: Path, round_no: int, ack_fd: int) -> None:
    def ack(line: str) -> None:
        os.write(ack_fd, f"{line}\n".encode())

    repo = open_repository(root)
    for i in range(1_000_000):
        session_id = f"r{round_no}-{i}"
        repo.create(new_session(session_id))
        ack(f"created {session_id}")
        for n in range(1, UPDATES_PER_SESSION + 1):
            repo.update(session_id, append_interaction(prompt_for(session_id, n)))
            ack(f"updated {session_id} {n}")
        repo.update(session_id, finish)
        ack(f"finished {session_id}")
        repo.update("shared", append_to_state("tokens", session_id))
        ack(f"shared {session_id}")


def run_and_kill(root: Path, round_no: int, delay: float | None) -> list[str]:
    """Fork a writer; once it acknowledged its first write, SIGKILL it after ``delay``
    seconds (None: once it acknowledged a whole session); its complete ack lines."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer
        os.close(read_fd)
        try:
            write_until_killed(root, round_no, write_fd)
        except BaseException:
            os.write(write_fd, f"error {traceback.format_exc()!r}\n".encode())
        finally:
            os._exit(1)
    os.close(write_fd)
    chunks = [os.read(read_fd, 65536)]  # blocks until the writer acknowledged something
    if delay is None:
        while b"\nshared " not in b"\n" + b"".join(chunks) and chunks[-1]:
            chunks.append(os.read(read_fd, 65536))
    else:
        time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    return b"".join(chunks).decode().split("\n")[:-1]  # a torn last line is no ack


def check_acknowledged(root: Path, acks: list[str], all_tokens: list[str]) -> None:
    repo = open_repository(root)
    summaries = repo.list()
    listed = {session.id: session for session in summaries}
    assert len(listed) == len(summaries)  # a session moving to the finished index is not doubled
    acknowledged: dict[str, int] = {}  # session id -> interactions acknowledged
    for line in acks:
        assert not line.startswith("error"), line
        kind, session_id, *rest = line.split(" ")
        if kind == "created":
            acknowledged[session_id] = 0
        elif kind == "updated":
            acknowledged[session_id] = int(rest[0])
        elif kind == "finished":
            assert listed[session_id].status == "complete"
            assert repo.get(session_id).status == "complete"
    for session_id, n in acknowledged.items():
        assert session_id in listed
        interactions = repo.get(session_id).interactions
        # the write after the last ack may or may not have landed
        assert n <= len(interactions) <= min(n + 1, UPDATES_PER_SESSION)
        for k, interaction in enumerate(interactions, start=1):
            assert interaction.command.stdin == prompt_for(session_id, k)
    shared = repo.get("shared")
    assert set(all_tokens) <= set(shared.state["tokens"])
    assert len(shared.state["tokens"]) == len(set(shared.state["tokens"]))
    # the index agrees with the session file (repaired if the kill fell between them)
    assert listed["shared"].state == shared.state


@pytest.mark.slow
def test_acknowledged_writes_survive_random_sigkills(store_root: Path, store_kind: str) -> None:
    rng = random.Random(20261125)
    open_repository(store_root).create(new_session("shared", state={"tokens": []}))
    all_tokens: list[str] = []
    total_acks = 0
    kills = KILLS[store_kind]
    # One unkilled session's worth of writes, timed: the window of every kill after it.
    started = time.monotonic()
    acks = run_and_kill(store_root, kills, None)
    window = time.monotonic() - started
    all_tokens += [line.split(" ")[1] for line in acks if line.startswith("shared")]
    check_acknowledged(store_root, acks, all_tokens)
    for round_no in range(kills):
        acks = run_and_kill(store_root, round_no, rng.uniform(0.0, window))
        total_acks += len(acks)
        all_tokens += [line.split(" ")[1] for line in acks if line.startswith("shared")]
        check_acknowledged(store_root, acks, all_tokens)

    assert total_acks > kills  # the kills did land in the middle of real work
    assert all_tokens
    repo = open_repository(store_root)
    repo.update("shared", append_to_state("tokens", "after"))
    assert repo.list()[0].state["tokens"][-1] == "after"
    if store_kind == "tinydb":
        store = store_root / ".codemyspec"
        assert not [p for p in store.rglob("*.tmp")]
        assert not (store / "sessions.intent").exists()
