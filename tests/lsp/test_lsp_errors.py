"""Every error code of the protocol, and malformed requests that must change nothing."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from lsp_harness import PATIENCE, command, request
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import JsonRPCRequestMessage
from pytest_lsp import LanguageClient

from codemyspec_lsp import protocol

STORE_FILES = ("sessions.json",)
# Commands whose every field is optional: no params at all is a valid request.
ALL_OPTIONAL = (
    protocol.LIST_SESSIONS,
    protocol.LIST_AGENTS,
    protocol.WORKSPACE_INFO,
    protocol.GET_GRAPH,
)


async def error_of(call: Any, client: LanguageClient, name: str, params: Any) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as caught:
        await call(client, name, params)
    return caught.value


def store_snapshot(root: Path) -> dict[str, bytes]:
    folder = root / ".codemyspec"
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "config.toml" and not p.name.endswith(".lock")
    }


async def test_every_error_code(workspace: Path, open_client, call_either_way):
    call = call_either_way
    async with open_client(workspace) as client:
        missing = await error_of(call, client, protocol.NEXT_STEP, {})
        assert (missing.code, "sessionId" in missing.message) == (-32602, True)

        ill_typed = await error_of(
            call,
            client,
            protocol.REPORT_RESULT,
            {"sessionId": "x", "interactionId": "y", "result": {"status": "fine"}},
        )
        assert ill_typed.code == -32602 and "result.status" in ill_typed.message

        unknown = await error_of(call, client, protocol.GET_SESSION, {"sessionId": "nope"})
        assert unknown.code == protocol.SESSION_NOT_FOUND

        session = await call(client, protocol.START_SESSION, {"context": "Accounts"})
        step = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        report = {
            "sessionId": session["id"],
            "interactionId": "no-such",
            "result": {"status": "ok"},
        }
        no_interaction = await error_of(call, client, protocol.REPORT_RESULT, report)
        assert no_interaction.code == protocol.INTERACTION_NOT_FOUND

        report["interactionId"] = step["interactionId"]
        await call(client, protocol.REPORT_RESULT, report)
        duplicate = await error_of(call, client, protocol.REPORT_RESULT, report)
        assert duplicate.code == protocol.DUPLICATE_RESULT

        await call(client, protocol.CANCEL_SESSION, {"sessionId": session["id"]})
        pending = await call(client, protocol.NEXT_STEP, {"sessionId": session["id"]})
        assert pending["status"] == "cancelled"
        # A result for a session that is no longer active.
        second = await call(client, protocol.START_SESSION, {"context": "Orders"})
        waiting = await call(client, protocol.NEXT_STEP, {"sessionId": second["id"]})
        await call(client, protocol.CANCEL_SESSION, {"sessionId": second["id"]})
        late = {
            "sessionId": second["id"],
            "interactionId": waiting["interactionId"],
            "result": {"status": "ok"},
        }
        refused = await error_of(call, client, protocol.REPORT_RESULT, late)
        assert refused.code == protocol.SESSION_NOT_ACTIVE

        # A damaged store file: the message names it, and nothing overwrites it.
        index = workspace / ".codemyspec" / "sessions.json"
        index.write_text("{ this is not json", encoding="utf-8")
        damaged = await error_of(call, client, protocol.LIST_SESSIONS, {})
        assert damaged.code == protocol.STORE_UNAVAILABLE
        assert "sessions.json" in damaged.message
        assert index.read_text(encoding="utf-8") == "{ this is not json"


BAD_PARAMS = [
    None,
    [],
    [{"sessionId": "x"}],
    "sessionId",
    42,
    {"sessionId": None},
    {"sessionId": ""},
    {"sessionId": "x" * 1_000_000},
    {"sessionId": {"nested": ["deep"]}},
    {"sessionId": "x", "extra": 1},
]


async def test_malformed_requests_are_refused_and_change_nothing(workspace: Path, open_client):
    async with open_client(workspace) as client:
        session = await command(client, protocol.START_SESSION, {"context": "Accounts"})
        before = store_snapshot(workspace)
        for name in protocol.COMMANDS:
            for params in BAD_PARAMS:
                if name in ALL_OPTIONAL and params is None:
                    continue  # every field is optional: no params is a valid listing
                error = await error_of(request, client, name, params)
                assert error.code == -32602, (name, params, error)
                assert len(error.message) < 2_000
        for arguments in ([], [{"sessionId": "x"}, {"sessionId": "y"}], [None, 1], ["x"]):
            with pytest.raises(JsonRpcException) as caught:
                await client.workspace_execute_command_async(
                    types.ExecuteCommandParams(command=protocol.GET_SESSION, arguments=arguments)
                )
            assert caught.value.code == -32602
        huge = {"context": "A" * 5_000_000}
        assert (await error_of(request, client, protocol.START_SESSION, huge)).code == -32602
        assert store_snapshot(workspace) == before
        # Still serving, and the session is untouched.
        got = await command(client, protocol.GET_SESSION, {"sessionId": session["id"]})
        assert got["interactions"] == []
        listed = await request(client, protocol.LIST_SESSIONS, None)
        assert [s["id"] for s in listed["sessions"]] == [session["id"]]


async def test_an_unknown_command_or_method_is_refused(workspace: Path, open_client):
    async with open_client(workspace) as client:
        with pytest.raises(JsonRpcException) as caught:
            await client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="codemyspec/explode", arguments=[{}])
            )
        assert caught.value.code == -32602
        with pytest.raises(JsonRpcException) as caught:
            await request(client, "codemyspec/explode", {})
        assert caught.value.code == -32601
        listed = await request(client, protocol.LIST_SESSIONS, {})
        assert listed == {"sessions": []}


async def test_a_typed_request_with_broken_params_is_answered_not_dropped(
    workspace: Path, open_client
):
    async with open_client(workspace) as client:
        # pygls' client cannot even send this: frame the raw message through its protocol.
        answer: Future[Any] = Future()
        client.protocol._request_futures["broken-1"] = answer
        client.protocol._send_data(
            JsonRPCRequestMessage(
                id="broken-1",
                method=types.TEXT_DOCUMENT_DIAGNOSTIC,
                jsonrpc="2.0",
                params={"textDocument": 5},
            )
        )
        with pytest.raises(JsonRpcException) as caught:
            await asyncio.wait_for(asyncio.wrap_future(answer), PATIENCE.seconds)
        assert caught.value.code == -32602
        assert await request(client, protocol.LIST_SESSIONS, {}) == {"sessions": []}
