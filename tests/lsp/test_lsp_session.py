"""A design session driven through the server's commands, as an editor drives it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsp_harness import (
    DESIGN,
    FLAWED_SEEN,
    eventually,
    make_workspace,
    pushed,
    seen_within,
    shown_eventually,
)
from lsp_harness import (
    command as call,
)
from pytest_lsp import LanguageClient

from codemyspec_lsp import protocol
from codemyspec_lsp.session.models import Command
from fakes.run_command import run_command


async def run_step(client: LanguageClient, call: Any, step: dict[str, Any]) -> dict[str, Any]:
    """Run the step's command like a client (argv, no shell) and report its result."""
    command = Command.model_validate(step["command"])
    result = await asyncio.to_thread(run_command, command)
    return await call(
        client,
        protocol.REPORT_RESULT,
        {
            "sessionId": step["sessionId"],
            "interactionId": step["interactionId"],
            "result": result.model_dump(mode="json", by_alias=True, exclude_none=True),
        },
    )


async def test_a_session_from_start_to_success_through_a_revision(
    workspace: Path, open_client, call_either_way
):
    call = call_either_way
    design_uri = (workspace / DESIGN).as_uri()
    async with open_client(workspace) as client:
        session = await call(client, protocol.START_SESSION, {"context": "Accounts"})
        assert session["status"] == "active"
        assert session["context"]["designFile"] == DESIGN
        await eventually(lambda: _seen_status(client, session["id"], "active"))

        steps = []
        while True:
            step = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
            if step["kind"] == "done":
                break
            steps.append(step["step"])
            reported = await run_step(client, call, step)
            if step["step"] == "validate_design":
                if steps.count("validate_design") == 1:
                    # The agent's first design is flawed: the user sees why, file closed.
                    await shown_eventually(client, design_uri, FLAWED_SEEN)
                    assert reported["interactions"][-1]["result"]["status"] == "error"
                else:
                    await shown_eventually(client, design_uri, [])
            assert len(steps) < 12, steps

        assert step["status"] == "success"
        assert steps == [
            "initialize",
            "generate_context_design",
            "validate_design",
            "revise_design",
            "validate_design",
            "finalize",
        ]
        final = await call(client, protocol.GET_SESSION, {"sessionId": session["id"]})
        assert final["status"] == "complete"
        assert [i["seq"] for i in final["interactions"]] == list(range(1, 7))
        await eventually(lambda: _seen_status(client, session["id"], "complete"))
        # sessionChanged never carries the interactions.
        assert all("interactions" not in s for s in client.session_changes)
        listed = await call(client, protocol.LIST_SESSIONS, {})
        assert [s["id"] for s in listed["sessions"]] == [session["id"]]


async def test_next_step_twice_returns_the_same_pending_interaction(workspace, open_client):
    async with open_client(workspace) as client:
        session = await call(client, protocol.START_SESSION, {"context": "Accounts"})
        first = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        again = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        assert first["interactionId"] == again["interactionId"]
        cancelled = await call(client, protocol.CANCEL_SESSION, {"sessionId": session["id"]})
        assert cancelled["status"] == "cancelled"
        done = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        assert done == {"kind": "done", "sessionId": session["id"], "status": "cancelled"}
        await eventually(lambda: _seen_status(client, session["id"], "cancelled"))


async def test_a_killed_server_resumes_the_pending_interaction(workspace: Path, open_client):
    async with open_client(workspace) as client:
        session = await call(client, protocol.START_SESSION, {"context": "Accounts"})
        pending = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        client._server.kill()  # no shutdown: the process dies mid-session
        await client._server.wait()
        client.capabilities = None  # nothing left to shut down
    async with open_client(workspace) as client:
        resumed = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        assert resumed["interactionId"] == pending["interactionId"]
        assert resumed["step"] == "initialize"


async def test_two_servers_on_one_workspace_see_each_others_changes(workspace: Path, open_client):
    async with open_client(workspace) as first, open_client(workspace) as second:
        # A command waits for the server to know its folders: both are watching now.
        assert await call(second, protocol.LIST_SESSIONS, {}) == {"sessions": []}
        session = await call(first, protocol.START_SESSION, {"context": "Accounts"})
        # The other process notices the new session by itself, within two seconds (plus
        # what a look at the store costs it on this machine now, see `seen_within`).
        bound = await seen_within(lambda: call(second, protocol.LIST_SESSIONS, {}))
        await eventually(lambda: _seen_status(second, session["id"], "active"), timeout=bound)
        step = await call(second, protocol.NEXT_STEP, {"sessionId": session["id"]})
        assert step["step"] == "initialize"
        await call(second, protocol.CANCEL_SESSION, {"sessionId": session["id"]})
        bound = await seen_within(lambda: call(first, protocol.LIST_SESSIONS, {}))
        await eventually(lambda: _seen_status(first, session["id"], "cancelled"), timeout=bound)


async def test_a_two_folder_workspace_keeps_a_store_per_folder(tmp_path: Path, open_client):
    shop = make_workspace(tmp_path / "shop", {DESIGN: "# Accounts\n"})
    blog = make_workspace(
        tmp_path / "blog", config='[project]\nname = "Blog"\n[environment]\nsetup = "none"\n'
    )
    async with open_client(shop, blog) as client:
        in_blog = await call(
            client, protocol.START_SESSION, {"context": "Posts", "workspaceUri": blog.as_uri()}
        )
        assert in_blog["context"]["designFile"] == "docs/design/blog/posts.md"
        in_shop = await call(client, protocol.START_SESSION, {"context": "Accounts"})
        shop_list = await call(client, protocol.LIST_SESSIONS, {"workspaceUri": shop.as_uri()})
        blog_list = await call(client, protocol.LIST_SESSIONS, {"workspaceUri": blog.as_uri()})
        assert [s["id"] for s in shop_list["sessions"]] == [in_shop["id"]]
        assert [s["id"] for s in blog_list["sessions"]] == [in_blog["id"]]
        # Other commands find a session by its id alone, in whichever folder it lives.
        got = await call(client, protocol.GET_SESSION, {"sessionId": in_blog["id"]})
        assert got["context"]["name"] == "Posts"
        assert (blog / ".codemyspec").is_dir() and (shop / ".codemyspec").is_dir()
        # Each folder's designs are validated with its own design dir.
        await eventually(lambda: pushed(client, (shop / DESIGN).as_uri()))


def _seen_status(client: LanguageClient, session_id: str, status: str) -> bool:
    return any(
        s["id"] == session_id and s["status"] == status
        for s in getattr(client, "session_changes", [])
    )
