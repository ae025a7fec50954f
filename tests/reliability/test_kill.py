"""SIGKILL the server at random instants while a client drives sessions through it.

After every kill, with no server running: the store opens (`open_repository` and
`SessionService`), every session whose start was answered is there, every result whose
`reportResult` was answered is stored with the status the server answered, and `seq`
runs 1..n without a gap or a repeat. The next cycle is a fresh server that resumes the
session where it stood; at the end of a run, a last fresh server drives every active
session in the store to `success`.

Where a kill lands does not depend on the machine's speed. Each cycle picks a moment of
the server's life (its start-up, its first command, a later step, a result being
reported), waits for that moment as an event (the process started, the first command
sent, the k-th result acknowledged, a reportResult sent), then kills after a random
delay drawn from how long that moment lasted on the same kind of server in this run:
measured first on an unkilled server, then on every cycle that got that far. On a slow
machine the moments last longer and the delays grow with them; no constant says how
fast anything must be.

Four runs of 50 kills (200 in all) use servers from the fork server (the real entry
point, started in about 10 ms); one run of 8 kills starts `python -m codemyspec_lsp`
each time, the way an editor does.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
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
from pg_cluster import store_toml_for

# The moments a kill aims at: from the process start (start-up), from the first command
# sent to a fresh server, from the k-th result it acknowledged (a later step), from a
# reportResult sent (the store writing a result).
START_UP, FIRST_COMMAND, LATER_STEP, REPORT = "start-up", "first command", "later step", "report"
MOMENTS = (START_UP, FIRST_COMMAND, LATER_STEP, REPORT)
RECENT = 9  # durations of each moment kept: the median of the latest follows the load


@dataclass
class Durations:
    """How long each moment lasted on this kind of server in this run (seconds)."""

    seen: dict[str, deque[float]] = field(
        default_factory=lambda: {m: deque(maxlen=RECENT) for m in MOMENTS}
    )

    def note(self, moment: str, seconds: float) -> None:
        self.seen[moment].append(seconds)

    def typical(self, moment: str) -> float:
        return statistics.median(self.seen[moment])


@dataclass
class Ledger:
    """What the server acknowledged, from the client's side."""

    durations: Durations = field(default_factory=Durations)
    started: list[str] = field(default_factory=list)
    acked: dict[str, dict[str, str]] = field(default_factory=dict)  # session -> iid -> status
    completed: list[str] = field(default_factory=list)
    current: str | None = None
    agent: asyncio.Future[Any] | None = None  # a command still running in its thread
    kills: int = 0
    aimed: Counter[str] = field(default_factory=Counter)  # kills by the moment aimed at
    kills_before_ready: int = 0  # kills before the initialize answer
    kills_mid_command: int = 0  # kills while a command was unanswered
    kills_mid_report: int = 0  # kills while a reportResult was unanswered
    # Of the server being driven now: commands sent, results acknowledged, reports sent.
    sent: int = 0
    acks: int = 0
    reports: int = 0
    pending: str | None = None  # the command sent and not yet answered
    # The moment the current cycle waits for: a test of this ledger, and its event.
    trigger: Callable[[Ledger], bool] | None = None
    triggered: asyncio.Event = field(default_factory=asyncio.Event)

    def fresh_server(self) -> None:
        self.sent = self.acks = self.reports = 0
        self.pending = None

    def moved(self) -> None:
        if self.trigger is not None and self.trigger(self):
            self.triggered.set()


async def send(ledger: Ledger, name: str, call: Awaitable[Any]) -> Any:
    """One command through the ledger: counted when sent, timed until answered."""
    sent_at = time.monotonic()
    first = ledger.sent == 0
    ledger.sent += 1
    ledger.pending = name
    if name == protocol.REPORT_RESULT:
        ledger.reports += 1
    ledger.moved()
    answer = await call
    ledger.pending = None
    if first:
        ledger.durations.note(FIRST_COMMAND, time.monotonic() - sent_at)
    if name == protocol.REPORT_RESULT:
        ledger.durations.note(REPORT, time.monotonic() - sent_at)
    return answer


async def drive(server: Server, ledger: Ledger, *, stop_after: int | None = None) -> None:
    """Run sessions one after another until cancelled (or `stop_after` completions)."""
    while stop_after is None or len(ledger.completed) < stop_after:
        if ledger.current is None:
            name = f"Context{len(ledger.started) + 1}"
            start = server.command(protocol.START_SESSION, {"context": name})
            session = await send(ledger, protocol.START_SESSION, start)
            ledger.started.append(session["id"])
            ledger.acked[session["id"]] = {}
            ledger.current = session["id"]
        step_began = time.monotonic()
        ask = server.command(protocol.NEXT_STEP, {"sessionId": ledger.current})
        step = await send(ledger, protocol.NEXT_STEP, ask)
        if step["kind"] == "done":
            assert step["status"] == "success", step
            ledger.completed.append(ledger.current)
            ledger.current = None
            continue
        ledger.agent = asyncio.ensure_future(run_step_command(step))
        result = await asyncio.shield(ledger.agent)
        params = {
            "sessionId": step["sessionId"],
            "interactionId": step["interactionId"],
            "result": result,
        }
        report = server.command(protocol.REPORT_RESULT, params)
        session = await send(ledger, protocol.REPORT_RESULT, report)
        stored = {i["id"]: i for i in session["interactions"]}
        status = stored[step["interactionId"]]["result"]["status"]
        ledger.acked[step["sessionId"]][step["interactionId"]] = status
        ledger.acks += 1
        ledger.durations.note(LATER_STEP, time.monotonic() - step_began)
        ledger.moved()


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


def aim(ledger: Ledger, moment: str, rng: random.Random) -> Callable[[Ledger], bool]:
    """When the cycle's kill window opens: the event that starts `moment`."""
    if moment == START_UP:
        return lambda _: True  # at once: the process has just been started
    if moment == FIRST_COMMAND:
        return lambda led: led.sent >= 1
    if moment == REPORT:
        return lambda led: led.reports >= 1
    k = rng.randint(1, 3)
    return lambda led: led.acks >= k


async def kill_cycle(
    server_factory: Callable[[], Awaitable[Server]],
    root: Path,
    ledger: Ledger,
    rng: random.Random,
    moment: str,
) -> None:
    """One fresh server, killed at a random instant of `moment` (see the module's doc)."""
    ledger.fresh_server()
    ledger.trigger = aim(ledger, moment, rng)
    ledger.triggered = asyncio.Event()
    server = await server_factory()

    async def initialise_and_drive() -> None:
        await initialize(server, root)
        assert server.start_up is not None
        ledger.durations.note(START_UP, server.start_up)
        await drive(server, ledger)

    task = asyncio.ensure_future(initialise_and_drive())
    ledger.moved()
    waiting = asyncio.ensure_future(ledger.triggered.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if task.done():
        task.result()  # the driver failed before the moment came: show why
    await asyncio.wait({task}, timeout=rng.uniform(0, ledger.durations.typical(moment)))
    if task.done():
        task.result()  # a failure of the driver, not a kill: show it
    ledger.aimed[moment] += 1
    ledger.kills_before_ready += server.start_up is None
    ledger.kills_mid_command += ledger.pending is not None
    ledger.kills_mid_report += ledger.pending == protocol.REPORT_RESULT
    ledger.trigger = None
    await server.kill()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    if ledger.agent is not None:  # let a half-run command finish before the next cycle
        await asyncio.gather(ledger.agent, return_exceptions=True)
        ledger.agent = None
    ledger.kills += 1
    check_store(root, ledger)


async def finish_everything(server: Server, root: Path, ledger: Ledger) -> None:
    """A fresh server resumes every active session of the store to success."""
    ledger.fresh_server()
    if ledger.current is not None:
        # The session being driven: still active, or completed by a result whose answer
        # came before the kill while the next step's did not (then it is not listed
        # below, and its next step says "done").
        await drive(server, ledger, stop_after=len(ledger.completed) + 1)
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


async def measured_session(
    server_factory: Callable[[], Awaitable[Server]], root: Path, ledger: Ledger
) -> None:
    """One unkilled server runs one whole session: the first durations of every moment."""
    ledger.fresh_server()
    server = await server_factory()
    try:
        await initialize(server, root)
        assert server.start_up is not None
        ledger.durations.note(START_UP, server.start_up)
        await drive(server, ledger, stop_after=len(ledger.completed) + 1)
    finally:
        await server.close()
    check_store(root, ledger)


async def kill_run(
    tmp_path: Path, seed: int, kills: int, *, forked: bool, store: str = ""
) -> Ledger:
    root = make_workspace(tmp_path / "shop", store=store)
    logs = tmp_path / "logs"
    rng = random.Random(seed)
    ledger = Ledger()
    moments = [MOMENTS[i % len(MOMENTS)] for i in range(kills)]
    rng.shuffle(moments)
    async with contextlib.AsyncExitStack() as stack:
        if forked:
            forks = await stack.enter_async_context(ForkServer(logs))

        async def factory() -> Server:
            return await (forks.start(None) if forked else spawn_server(logs))

        await measured_session(factory, root, ledger)
        for moment in moments:
            await kill_cycle(factory, root, ledger, rng, moment)
        last = await factory()
        try:
            await initialize(last, root)
            await finish_everything(last, root, ledger)
        finally:
            await last.close()
    assert ledger.kills == kills
    assert bad_log_lines(*logs.iterdir()) == []
    return ledger


def summary(ledger: Ledger) -> str:
    typical = ", ".join(f"{m} {1000 * ledger.durations.typical(m):.0f} ms" for m in MOMENTS)
    return (
        f"{ledger.kills} kills ({dict(ledger.aimed)}): {ledger.kills_before_ready} before "
        f"the initialize answer, {ledger.kills_mid_command} with a command unanswered, "
        f"{ledger.kills_mid_report} of them a reportResult; "
        f"{sum(len(v) for v in ledger.acked.values())} results acknowledged, "
        f"{len(ledger.completed)} sessions completed; typical durations: {typical}"
    )


# No wall-clock limit on the whole test (its work is fixed, its speed the machine's):
# every wait in it is bounded by PATIENCE, derived from start-ups measured in this run.
@pytest.mark.timeout(0)
@pytest.mark.slow
async def test_two_hundred_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    # Four workspaces at once: a cycle mostly waits (for its kill, for a command), so they
    # share the two cores well.
    seeds = [11, 23, 37, 41]
    ledgers = await asyncio.gather(
        *(kill_run(tmp_path / f"run-{seed}", seed, 50, forked=True) for seed in seeds)
    )
    for seed, ledger in zip(seeds, ledgers, strict=True):
        print(f"seed {seed}: {summary(ledger)}")
    assert sum(ledger.kills for ledger in ledgers) == 200
    # Every moment was aimed at, and sessions moved between the kills: each "later step"
    # cycle waited for at least one acknowledged result before its kill.
    for ledger in ledgers:
        assert set(ledger.aimed) == set(MOMENTS)
        later = ledger.aimed[LATER_STEP]
        assert sum(len(v) for v in ledger.acked.values()) >= later
        assert ledger.completed
    # Some kills caught the store writing a result (about half of the "report" ones).
    assert sum(ledger.kills_mid_report for ledger in ledgers) >= 1


@pytest.mark.timeout(0)  # as above
@pytest.mark.slow
async def test_kills_on_postgresql_lose_nothing_acknowledged(
    tmp_path: Path, pg_url: str, pg_project: str
) -> None:
    # Fewer than on the local store: there the promise rests on file writes, here on
    # transactions, and each kill also ends the server's database connections.
    store = store_toml_for(pg_url, pg_project)
    ledger = await kill_run(tmp_path, 61, 24, forked=True, store=store)
    print(summary(ledger))
    assert ledger.kills == 24
    assert set(ledger.aimed) == set(MOMENTS)
    assert sum(len(v) for v in ledger.acked.values()) >= ledger.aimed[LATER_STEP]
    assert ledger.completed


@pytest.mark.timeout(0)  # as above
async def test_kills_of_the_console_server(tmp_path: Path, store_toml: str) -> None:
    ledger = await kill_run(tmp_path, 5, 8, forked=False, store=store_toml)
    print(summary(ledger))
    assert set(ledger.aimed) == set(MOMENTS)
    # The measured session, the sessions the kills interrupted, all completed.
    assert len(ledger.completed) >= 2
    assert set(ledger.completed) == set(ledger.started)


async def test_a_fresh_server_sees_what_a_killed_one_acknowledged(
    tmp_path: Path, store_toml: str
) -> None:
    root = make_workspace(tmp_path / "shop", store=store_toml)
    first = await start_server(root, tmp_path / "logs")
    ledger = Ledger()
    ledger.trigger = lambda led: led.acks >= 3
    task = asyncio.ensure_future(drive(first, ledger))
    waiting = asyncio.ensure_future(ledger.triggered.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if task.done():
        task.result()  # the driver failed: show why
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
