"""SIGKILL the server at random instants while a client drives sessions through it.

After every kill, with no server running: the store opens (`open_repository` and
`SessionService`), every session whose start was answered is there, every result whose
`reportResult` was answered is stored with the status the server answered, and `seq`
runs 1..n without a gap or a repeat. The next cycle is a fresh server that resumes the
session where it stood; at the end of a run, a last fresh server drives every active
session in the store to `success`.

Four runs of 50 kills (200 in all) use servers from the fork server (the real entry
point, started in about 10 ms); one run of 8 kills starts `python -m codemyspec_lsp`
each time.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rel_harness import (
    ForkServer,
    Server,
    bad_log_lines,
    initialize,
    make_workspace,
    run_step_command,
    spawn_server,
    start_server,
)

from codemyspec_lsp import protocol
from codemyspec_lsp.session.service import SessionService
from codemyspec_lsp.store import open_repository

MAX_KILL_DELAY_S = 0.3  # about three steps of a session on a busy 2-core machine
START_UP_SHARE = 0.2


@dataclass
class Ledger:
    """What the server acknowledged, from the client's side."""

    started: list[str] = field(default_factory=list)
    acked: dict[str, dict[str, str]] = field(default_factory=dict)  # session -> iid -> status
    completed: list[str] = field(default_factory=list)
    current: str | None = None
    agent: asyncio.Future[Any] | None = None  # a command still running in its thread
    kills: int = 0
    kills_mid_report: int = 0  # kills while a reportResult was unanswered
    reporting: bool = False


async def drive(server: Server, ledger: Ledger, *, stop_after: int | None = None) -> None:
    """Run sessions one after another until cancelled (or `stop_after` completions)."""
    while stop_after is None or len(ledger.completed) < stop_after:
        if ledger.current is None:
            name = f"Context{len(ledger.started) + 1}"
            session = await server.command(protocol.START_SESSION, {"context": name})
            ledger.started.append(session["id"])
            ledger.acked[session["id"]] = {}
            ledger.current = session["id"]
        step = await server.command(protocol.NEXT_STEP, {"sessionId": ledger.current})
        if step["kind"] == "done":
            assert step["status"] == "success", step
            ledger.completed.append(ledger.current)
            ledger.current = None
            continue
        ledger.agent = asyncio.ensure_future(run_step_command(step))
        result = await asyncio.shield(ledger.agent)
        ledger.reporting = True
        session = await server.command(
            protocol.REPORT_RESULT,
            {
                "sessionId": step["sessionId"],
                "interactionId": step["interactionId"],
                "result": result,
            },
        )
        ledger.reporting = False
        stored = {i["id"]: i for i in session["interactions"]}
        status = stored[step["interactionId"]]["result"]["status"]
        ledger.acked[step["sessionId"]][step["interactionId"]] = status


def check_store(root: Path, ledger: Ledger) -> None:
    """Everything acknowledged is stored, and the store opens both ways."""
    repository = open_repository(root)
    for session_id in ledger.started:
        session = repository.get(session_id)
        assert [i.seq for i in session.interactions] == list(
            range(1, len(session.interactions) + 1)
        ), session_id
        by_id = {i.id: i for i in session.interactions}
        for interaction_id, status in ledger.acked[session_id].items():
            stored = by_id[interaction_id].result
            assert stored is not None, f"acknowledged result of {interaction_id} lost"
            assert stored.status == status
    for session_id in ledger.completed:
        assert repository.get(session_id).status == "complete"
    listed = {s.id for s in SessionService(root).list_sessions()}
    assert set(ledger.started) <= listed


async def kill_cycle(
    server_factory: Any, root: Path, ledger: Ledger, rng: random.Random, *, forked: bool
) -> None:
    """One server, killed at a random instant: counted from its `initialize` answer, or
    (one time in five, forked servers only) from its start, so start-up is hit too."""
    server: Server = await server_factory()
    delay = rng.uniform(0, MAX_KILL_DELAY_S)
    during_start_up = forked and rng.random() < START_UP_SHARE
    ready = asyncio.Event()

    async def initialise_and_drive() -> None:
        await initialize(server, root)
        ready.set()
        await drive(server, ledger)

    task = asyncio.ensure_future(initialise_and_drive())
    if not during_start_up:
        ready_wait = asyncio.ensure_future(ready.wait())
        await asyncio.wait({task, ready_wait}, return_when=asyncio.FIRST_COMPLETED)
        ready_wait.cancel()
    await asyncio.wait({task}, timeout=delay)
    if task.done():
        task.result()  # a failure of the driver, not a kill: show it
    if ledger.reporting:
        ledger.kills_mid_report += 1
    await server.kill()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    ledger.reporting = False
    if ledger.agent is not None:  # let a half-run command finish before the next cycle
        await asyncio.gather(ledger.agent, return_exceptions=True)
        ledger.agent = None
    ledger.kills += 1
    check_store(root, ledger)


async def finish_everything(server: Server, root: Path, ledger: Ledger) -> None:
    """A fresh server resumes every active session of the store to success."""
    active = await server.command(protocol.LIST_SESSIONS, {"status": "active"})
    for summary in active["sessions"]:
        ledger.current = summary["id"]
        ledger.acked.setdefault(summary["id"], {})
        if summary["id"] not in ledger.started:
            ledger.started.append(summary["id"])  # stored, but its start was never answered
        await drive(server, ledger, stop_after=len(ledger.completed) + 1)
    listed = await server.command(protocol.LIST_SESSIONS, {})
    assert {s["status"] for s in listed["sessions"]} <= {"complete"}
    check_store(root, ledger)


async def kill_run(tmp_path: Path, seed: int, kills: int, *, forked: bool) -> Ledger:
    root = make_workspace(tmp_path / "shop")
    logs = tmp_path / "logs"
    rng = random.Random(seed)
    ledger = Ledger()
    async with ForkServer(logs) as forks:
        factory = (lambda: forks.start(None)) if forked else (lambda: spawn_server(logs))
        for _ in range(kills):
            await kill_cycle(factory, root, ledger, rng, forked=forked)
        last = await forks.start(root)
        try:
            await finish_everything(last, root, ledger)
        finally:
            await last.close()
    assert ledger.kills == kills
    assert bad_log_lines(*logs.iterdir()) == []
    return ledger


@pytest.mark.slow
async def test_two_hundred_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    # Four workspaces at once: a cycle mostly waits (for its kill, for a command), so they
    # share the two cores well.
    seeds = [11, 23, 37, 41]
    ledgers = await asyncio.gather(
        *(kill_run(tmp_path / f"run-{seed}", seed, 50, forked=True) for seed in seeds)
    )
    for seed, ledger in zip(seeds, ledgers, strict=True):
        print(
            f"seed {seed}: {ledger.kills} kills, {ledger.kills_mid_report} during a "
            f"reportResult, {sum(len(v) for v in ledger.acked.values())} results "
            f"acknowledged, {len(ledger.completed)} sessions completed"
        )
    assert sum(ledger.kills for ledger in ledgers) == 200
    # The kills landed while sessions were moving, not only during start-up.
    assert sum(ledger.kills_mid_report for ledger in ledgers) >= 20
    assert sum(len(v) for ledger in ledgers for v in ledger.acked.values()) >= 40
    assert all(ledger.completed for ledger in ledgers)


async def test_kills_of_the_console_server(tmp_path: Path) -> None:
    ledger = await kill_run(tmp_path, 5, 8, forked=False)
    assert ledger.completed


async def test_a_fresh_server_sees_what_a_killed_one_acknowledged(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "shop")
    first = await start_server(root, tmp_path / "logs")
    ledger = Ledger()
    task = asyncio.ensure_future(drive(first, ledger))
    while sum(len(v) for v in ledger.acked.values()) < 3:
        await asyncio.sleep(0.01)
        assert not task.done() or task.result() is None
    await first.kill()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    if ledger.agent is not None:
        await asyncio.gather(ledger.agent, return_exceptions=True)
    second = await start_server(root, tmp_path / "logs")
    try:
        session = await second.command(protocol.GET_SESSION, {"sessionId": ledger.started[0]})
        stored = {i["id"] for i in session["interactions"] if i["result"] is not None}
        assert set(ledger.acked[ledger.started[0]]) <= stored
        await finish_everything(second, root, ledger)
    finally:
        await second.close()
