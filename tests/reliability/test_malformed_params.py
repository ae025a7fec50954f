"""Malformed params for every command, both ways of calling it.

Missing fields, wrong types, null, arrays, strings and numbers instead of the object,
unknown fields, nested garbage, huge strings: each is answered with -32602 (or, for a
well-formed id that names nothing, -32001), the server stays alive, nothing is logged as
an exception, and every file of the store is byte-identical afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pygls.exceptions import JsonRpcException
from rel_harness import Server, bad_log_lines, make_workspace, start_server, store_snapshot

from codemyspec_lsp import protocol

INVALID = protocol.INVALID_PARAMS
NOT_FOUND = protocol.SESSION_NOT_FOUND
NO_INTERACTION = protocol.INTERACTION_NOT_FOUND
GARBAGE: list[Any] = [
    [],
    [1, 2],
    "sessionId",
    42,
    True,
    {"a": [1, {"b": None, "c": [[[]]]}]},
]
HUGE = "x" * 1_000_000


def id_cases(field: str, extra: dict[str, Any]) -> list[tuple[Any, int]]:
    """Bad values of one id field, with the code each must get."""
    return [
        ({**extra}, INVALID),  # missing
        ({**extra, field: None}, INVALID),
        ({**extra, field: 7}, INVALID),
        ({**extra, field: ["a"]}, INVALID),
        ({**extra, field: {"id": "a"}}, INVALID),
        ({**extra, field: ""}, INVALID),
        ({**extra, field: HUGE}, INVALID),
        # Well formed, but names nothing: the protocol's not-found code.
        ({**extra, field: "\x00"}, NOT_FOUND if field == "sessionId" else NO_INTERACTION),
    ]


def cases(session_id: str, interaction_id: str) -> dict[str, list[tuple[Any, int]]]:
    good_result = {"status": "ok"}
    report = {"sessionId": session_id, "interactionId": interaction_id}
    common = [(g, INVALID) for g in GARBAGE]
    by_id = [
        *common,
        *id_cases("sessionId", {}),
        ({"sessionId": session_id, "unknown": 1}, INVALID),
        ({"sessionId": "no-such-session"}, NOT_FOUND),
        ({"sessionId": "../../../etc/passwd"}, NOT_FOUND),
        ({"sessionId": "/etc/passwd"}, NOT_FOUND),
    ]
    return {
        protocol.START_SESSION: [
            *common,
            (None, INVALID),
            ({}, INVALID),
            ({"context": None}, INVALID),
            ({"context": 5}, INVALID),
            ({"context": ""}, INVALID),
            ({"context": ["Accounts"]}, INVALID),
            ({"context": HUGE}, INVALID),
            ({"context": "Accounts", "description": HUGE}, INVALID),
            ({"context": "Accounts", "description": 5}, INVALID),
            ({"context": "Accounts", "type": "poem"}, INVALID),
            ({"context": "Accounts", "environment": "emacs"}, INVALID),
            ({"context": "Accounts", "executionMode": "sometimes"}, INVALID),
            ({"context": "Accounts", "executionMode": None, "environment": []}, INVALID),
            ({"context": "Accounts", "workspaceUri": "file:///not/a/folder"}, INVALID),
            ({"context": "Accounts", "workspaceUri": 3}, INVALID),
            ({"context": "Accounts", "sessionId": "x"}, INVALID),
            ({"context": {"name": "Accounts"}}, INVALID),
        ],
        protocol.NEXT_STEP: by_id,
        protocol.GET_SESSION: by_id,
        protocol.CANCEL_SESSION: by_id,
        protocol.LIST_SESSIONS: [
            *common,
            ({"status": "sleeping"}, INVALID),
            ({"status": 1}, INVALID),
            ({"status": None, "extra": {}}, INVALID),
            ({"workspaceUri": ["file:///"]}, INVALID),
            ({"workspaceUri": "file:///elsewhere"}, INVALID),
        ],
        protocol.REPORT_RESULT: [
            *common,
            (None, INVALID),
            ({}, INVALID),
            *id_cases("interactionId", {"sessionId": session_id, "result": good_result}),
            ({**report}, INVALID),
            ({**report, "result": None}, INVALID),
            ({**report, "result": "ok"}, INVALID),
            ({**report, "result": []}, INVALID),
            ({**report, "result": {}}, INVALID),
            ({**report, "result": {"status": "maybe"}}, INVALID),
            ({**report, "result": {"status": "ok", "code": "zero"}}, INVALID),
            ({**report, "result": {"status": "ok", "durationMs": -5}}, INVALID),
            ({**report, "result": {"status": "ok", "stdout": 5}}, INVALID),
            ({**report, "result": {"status": "ok", "data": [1]}}, INVALID),
            ({**report, "result": {"status": "ok", "surprise": True}}, INVALID),
            ({**report, "result": {"status": "ok", "stdout": "x" * 10_000_001}}, INVALID),
            ({**report, "result": good_result, "more": 1}, INVALID),
            ({"interactionId": interaction_id, "result": good_result}, INVALID),
        ],
    }


async def answer_code(server: Server, name: str, params: Any, *, execute: bool) -> int | None:
    try:
        if execute:
            await server.execute(name, [params])
        else:
            await server.request(name, params)
    except JsonRpcException as error:
        return error.code
    return None


async def test_every_command_refuses_malformed_params(tmp_path: Path, store_toml: str) -> None:
    root = make_workspace(tmp_path / "shop", store=store_toml)
    logs = tmp_path / "logs"
    server = await start_server(root, logs)
    try:
        session = await server.command(protocol.START_SESSION, {"context": "Accounts"})
        step = await server.command(protocol.NEXT_STEP, {"sessionId": session["id"]})
        before = store_snapshot(root)
        wrong = []
        count = 0
        for name, bad in cases(session["id"], step["interactionId"]).items():
            for params, expected in bad:
                for execute in (True, False):
                    count += 1
                    code = await answer_code(server, name, params, execute=execute)
                    if code != expected:
                        way = "executeCommand" if execute else "request"
                        wrong.append((name, way, str(params)[:80], code, expected))
        # executeCommand with other than one argument
        for arguments in ([], [{}, {}], None):
            for name in (protocol.NEXT_STEP, protocol.REPORT_RESULT, protocol.START_SESSION):
                count += 1
                try:
                    await server.execute(name, arguments)
                    wrong.append((name, "executeCommand", str(arguments), None, INVALID))
                except JsonRpcException as error:
                    if error.code != INVALID:
                        wrong.append((name, "executeCommand", str(arguments), error.code, INVALID))
        assert wrong == [], f"{len(wrong)} of {count} calls got the wrong answer"
        assert count > 200
        assert server.alive()
        # Still serving, and nothing stored changed.
        again = await server.command(protocol.NEXT_STEP, {"sessionId": session["id"]})
        assert again["interactionId"] == step["interactionId"]
        assert store_snapshot(root) == before
    finally:
        await server.close()
    assert bad_log_lines(*logs.iterdir()) == []
