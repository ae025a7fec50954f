"""A team on one PostgreSQL database: clones of one project in two folders (two machines),
servers on each, and the database restarted under a running session.

- Four servers, two on each clone, drive sessions of their own and one they share: no
  update lost, no `seq` repeated, every server sees every session, and every change
  reaches every other server through `sessionChanged` within 1 second (workspace.md).
- A session started in one clone is resumed to completion from the other.
- The database stops mid-session: commands answer -32005 naming host and database,
  diagnostics keep coming, and once it is back the same server finishes the session with
  every acknowledged result stored.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from rel_harness import (
    Server,
    bad_log_lines,
    make_workspace,
    pull,
    run_step_command,
    start_server,
)
from test_concurrent_servers import run_servers, seen

from codemyspec_lsp import protocol
from codemyspec_lsp.store import open_repository
from pg_cluster import store_toml_for

NOTIFIED_WITHIN_S = 1.0  # workspace.md: sessionChanged reaches every server within 1 second
DESIGN = "docs/design/shop/accounts.md"


def clones(tmp_path: Path, pg_url: str, pg_project: str) -> list[Path]:
    store = store_toml_for(pg_url, pg_project)
    return [make_workspace(tmp_path / f"machine-{n}" / "shop", store=store) for n in (1, 2)]


async def step_once(server: Server, session_id: str) -> dict[str, Any] | None:
    """One step through ``server``: the stored session after its report, None when done."""
    step = await server.command(protocol.NEXT_STEP, {"sessionId": session_id})
    if step["kind"] == "done":
        if step["status"] != "success":
            stored = await server.command(protocol.GET_SESSION, {"sessionId": session_id})
            steps = [(i["step"], (i["result"] or {}).get("status")) for i in stored["interactions"]]
            raise AssertionError(f"{stored['state'].get('outcome')}; {steps}")
        return None
    result = await run_step_command(step)
    return await server.command(
        protocol.REPORT_RESULT,
        {"sessionId": session_id, "interactionId": step["interactionId"], "result": result},
    )


async def test_four_servers_on_two_clones_share_one_database(
    tmp_path: Path, pg_url: str, pg_project: str
) -> None:
    first, second = clones(tmp_path, pg_url, pg_project)
    logs = tmp_path / "logs"
    servers = [await start_server(root, logs) for root in (first, second, first, second)]
    try:
        await run_servers(first, servers, spec_s=NOTIFIED_WITHIN_S)
    finally:
        await asyncio.gather(*(s.close() for s in servers))
    assert bad_log_lines(*logs.iterdir()) == []


async def test_a_session_started_in_one_clone_is_finished_from_the_other(
    tmp_path: Path, pg_url: str, pg_project: str
) -> None:
    first, second = clones(tmp_path, pg_url, pg_project)
    logs = tmp_path / "logs"
    alice, bob = await start_server(first, logs), await start_server(second, logs)
    try:
        await bob.command(protocol.LIST_SESSIONS, {})  # bob's editor is up: what follows is news
        info = await bob.command(protocol.WORKSPACE_INFO, {})  # what the editors show
        assert info["store"] == {"kind": "postgresql", "location": pg_url.split("@")[1]}
        session = await alice.command(protocol.START_SESSION, {"context": "Accounts"})
        session_id = session["id"]
        await seen(bob, session_id, "active", NOTIFIED_WITHIN_S)
        stored = await step_once(alice, session_id)
        assert stored is not None and stored["interactions"][-1]["result"] is not None
        await alice.close()

        listed = await bob.command(protocol.LIST_SESSIONS, {"status": "active"})
        assert [s["id"] for s in listed["sessions"]] == [session_id]
        while await step_once(bob, session_id) is not None:
            pass
        finished = await bob.command(protocol.GET_SESSION, {"sessionId": session_id})
        assert finished["status"] == "complete"
        assert finished["interactions"][0]["id"] == stored["interactions"][0]["id"]
        assert (second / DESIGN).exists()  # bob's clone holds the design now

        again = await start_server(first, logs)  # alice opens her editor again
        try:
            seen_by_alice = await again.command(protocol.GET_SESSION, {"sessionId": session_id})
            assert seen_by_alice == finished
        finally:
            await again.close()
    finally:
        await asyncio.gather(*(s.close() for s in (alice, bob) if not s.client.stopped))
    assert bad_log_lines(*logs.iterdir()) == []


@pytest.mark.slow
async def test_a_database_restart_mid_session_costs_no_acknowledged_result(
    tmp_path: Path, pg_cluster: Any, pg_url: str, pg_project: str
) -> None:
    root = clones(tmp_path, pg_url, pg_project)[0]
    logs = tmp_path / "logs"
    server = await start_server(root, logs)
    acked: dict[str, str] = {}

    def remember(stored: dict[str, Any] | None) -> None:
        if stored is not None:
            last = stored["interactions"][-1]
            acked[last["id"]] = last["result"]["status"]

    try:
        session_id = (await server.command(protocol.START_SESSION, {"context": "Accounts"}))["id"]
        remember(await step_once(server, session_id))
        remember(await step_once(server, session_id))

        pg_cluster.stop("immediate")  # a crash of the database, no goodbye
        try:
            with pytest.raises(JsonRpcException) as caught:
                await server.command(protocol.NEXT_STEP, {"sessionId": session_id})
            assert caught.value.code == protocol.STORE_UNAVAILABLE
            assert f"127.0.0.1:{pg_cluster.port}/codemyspec" in str(caught.value)
            # Editing goes on: the design the session wrote still gets its diagnostics.
            uri = (root / DESIGN).as_uri()
            server.client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    types.TextDocumentItem(uri, "markdown", 1, (root / DESIGN).read_text())
                )
            )
            assert await pull(server, uri) != []
            server.client.text_document_did_close(
                types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
            )  # the agent's revisions go to the disk: validation must read them there
        finally:
            pg_cluster.start()

        # The same server carries on by itself.
        while (stored := await step_once(server, session_id)) is not None:
            remember(stored)
        session = open_repository(root).get(session_id)
        assert session.status == "complete"
        by_id = {i.id: i for i in session.interactions}
        for interaction_id, status in acked.items():
            result = by_id[interaction_id].result
            assert result is not None and result.status == status
        assert [i.seq for i in session.interactions] == list(range(1, len(by_id) + 1))
    finally:
        await server.close()
    assert bad_log_lines(*logs.iterdir()) == []
