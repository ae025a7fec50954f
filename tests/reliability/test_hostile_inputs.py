"""Hostile workspace text and damaged files, through a real server.

- Context names and descriptions with shell metacharacters, `..`, absolute paths, NUL,
  very long and non-ASCII text, and stories and rules holding the same: the server either
  refuses the name (-32602) or runs the session to its end, and every command it hands
  out runs no shell (argv[0] is never a shell, no `-c`), works inside the workspace (cwd,
  metadata.designFile, CODEMYSPEC_DESIGN_FILE) and nothing is written outside it.
- A corrupt, truncated and hand-edited store (index and session file): -32005 naming the
  file, the file byte-identical afterwards, diagnostics still served for designs.
- A broken config.toml: a message and a diagnostic naming it, the file byte-identical,
  the defaults used, designs still validated.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from rel_harness import (
    CONFIG,
    Server,
    bad_log_lines,
    make_workspace,
    pull,
    run_step_command,
    start_server,
    store_snapshot,
)

from codemyspec_lsp import protocol
from codemyspec_lsp.session.models import StartSessionParams
from codemyspec_lsp.session.service import SessionService

SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "fish", "cmd", "cmd.exe", "powershell", "pwsh"}
NASTY = [
    "Accounts; rm -rf ~",
    "$(touch pwned)",
    "`touch pwned`",
    "Accounts && touch pwned",
    "A|B>C<D",
    "../../etc",
    "..",
    "../Outside",
    "Shop/../../Outside",
    "/etc/passwd",
    "C:\\Windows\\System32",
    "~root",
    "A\x00B",
    "Accounts\nInjected",
    "-c",
    "--help",
    "Ünïcödé",
    "Ωμέγα.Λόγος",
    "会計",
    "A" * 255,
    "Accounts" + "😀" * 50,
    " ",
    "Shop.Accounts",
    "Billing",
]
NASTY_TEXT = "$(touch pwned) `id` ; rm -rf / | cat /etc/passwd > x && ../../.. \x00 \u202e 😀 " * 50
STORY = f"""---
contexts: [Accounts, Billing, "../../etc", "$(touch pwned)"]
---
# {NASTY_TEXT[:200]}

{NASTY_TEXT}

## Acceptance Criteria
- {NASTY_TEXT[:300]}
"""
RULE = f"""---
component_type: "*"
session_type: "*"
---
{NASTY_TEXT}
"""
BROKEN_FRONT_MATTER = "---\ncontexts: [unclosed\n---\n# Broken\n"
FLAWED_DESIGN = "# Accounts\n\n## Purpose\nOwns accounts.\n"
DESIGN = "docs/design/shop/accounts.md"


def inside(root: Path, path: str | Path) -> bool:
    return Path(root, path).resolve().is_relative_to(root.resolve())


def check_command(root: Path, command: dict[str, Any]) -> None:
    argv = command["argv"]
    if command["kind"] == "noop":
        return
    assert argv and Path(argv[0]).name not in SHELLS, argv
    assert "-c" not in argv, argv
    assert inside(root, command["cwd"]), command["cwd"]
    design_file = command["env"].get("CODEMYSPEC_DESIGN_FILE")
    if design_file is not None:
        assert Path(design_file).is_absolute() and inside(root, design_file), design_file
    if "designFile" in command["metadata"]:
        assert inside(root, command["metadata"]["designFile"]), command["metadata"]


def files_outside(tmp_path: Path, root: Path, logs: Path) -> set[Path]:
    return {
        p
        for p in tmp_path.rglob("*")
        if not p.is_relative_to(root) and not p.is_relative_to(logs) and p != root and p != logs
    }


async def run_to_end(server: Server, root: Path, session: dict[str, Any]) -> str:
    assert not PurePosixPath(session["context"]["designFile"]).is_absolute()
    assert inside(root, session["context"]["designFile"])
    for _ in range(12):
        step = await server.command(protocol.NEXT_STEP, {"sessionId": session["id"]})
        if step["kind"] == "done":
            return str(step["status"])
        check_command(root, step["command"])
        result = await run_step_command(step)
        await server.command(
            protocol.REPORT_RESULT,
            {"sessionId": session["id"], "interactionId": step["interactionId"], "result": result},
        )
    raise AssertionError("the session did not end")


@pytest.mark.slow
async def test_hostile_names_stories_and_rules_run_no_shell_and_stay_inside(
    tmp_path: Path,
) -> None:
    root = make_workspace(tmp_path / "shop")
    logs = tmp_path / "logs"
    for folder, name, text in (
        ("stories", "nasty.md", STORY),
        ("stories", "broken.md", BROKEN_FRONT_MATTER),
        ("stories", "binary.md", "\x00\x01\x02 not a story"),
        ("rules", "nasty.md", RULE),
        ("rules", "broken.md", BROKEN_FRONT_MATTER),
    ):
        (root / ".codemyspec" / folder).mkdir(exist_ok=True)
        (root / ".codemyspec" / folder / name).write_text(text, encoding="utf-8")
    outside_before = files_outside(tmp_path, root, logs)
    server = await start_server(root, logs)
    outcomes: dict[str, str] = {}
    try:
        for name in NASTY:
            params = {"context": name, "description": NASTY_TEXT[:5000]}
            try:
                session = await server.command(protocol.START_SESSION, params)
            except JsonRpcException as error:
                assert error.code == protocol.INVALID_PARAMS, (name, error)
                outcomes[name] = "refused"
                continue
            outcomes[name] = await run_to_end(server, root, session)
        assert server.alive()
    finally:
        await server.close()
    # Names that make a module are accepted and run to success; the rest are refused.
    assert outcomes["Billing"] == "success"
    assert outcomes["Shop.Accounts"] == "success"
    assert set(outcomes.values()) <= {"refused", "success"}, outcomes
    assert files_outside(tmp_path, root, logs) == outside_before
    assert not list(tmp_path.rglob("pwned")) and not Path("pwned").exists()
    assert bad_log_lines(*logs.iterdir()) == []


# -- damaged store -----------------------------------------------------------------------


def with_session(root: Path) -> str:
    service = SessionService(root)
    return service.start_session(StartSessionParams(context="Accounts")).id


def garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff{{{ not json at all")


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def hand_edit(path: Path) -> None:
    """Valid JSON, changed by hand: the checksum no longer matches."""
    data = path.read_bytes()
    assert b'"active"' in data
    path.write_bytes(data.replace(b'"active"', b'"complete"', 1))


@pytest.mark.parametrize("damage", [garbage, truncate, empty, hand_edit])
@pytest.mark.parametrize("target", ["index", "session"])
async def test_a_damaged_store_is_reported_and_left_alone(
    tmp_path: Path, damage: Any, target: str
) -> None:
    root = make_workspace(tmp_path / "shop", designs={DESIGN: FLAWED_DESIGN})
    session_id = with_session(root)
    store = root / ".codemyspec"
    path = (
        store / "sessions.json" if target == "index" else store / "sessions" / f"{session_id}.json"
    )
    damage(path)
    damaged = path.read_bytes()
    logs = tmp_path / "logs"
    server = await start_server(root, logs)
    try:
        calls: list[tuple[str, dict[str, Any]]] = [
            (protocol.NEXT_STEP, {"sessionId": session_id}),
            (protocol.CANCEL_SESSION, {"sessionId": session_id}),
        ]
        if target == "index":
            # The session file is the truth and intact: reading one session still works;
            # whatever needs the index, or writes, is refused.
            await server.command(protocol.GET_SESSION, {"sessionId": session_id})
            calls += [
                (protocol.LIST_SESSIONS, {}),
                (protocol.START_SESSION, {"context": "Billing"}),
            ]
        else:
            calls += [(protocol.GET_SESSION, {"sessionId": session_id})]
        for name, params in calls:
            with pytest.raises(JsonRpcException) as refused:
                await server.command(name, params)
            assert refused.value.code == protocol.STORE_UNAVAILABLE, (name, refused.value)
            assert str(path) in refused.value.message, refused.value.message
        # Design documents are still validated, open and on disk.
        uri = (root / DESIGN).as_uri()
        server.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri, "markdown", 1, FLAWED_DESIGN + "\n## Bogus\n")
            )
        )
        assert "CMS101" in await pull(server, uri)
        assert server.alive()
    finally:
        await server.close()
    assert path.read_bytes() == damaged
    assert bad_log_lines(*logs.iterdir()) == []


# -- broken config -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        "[project\nname = 'unclosed",
        '[design]\ndir = 5\nrequired_sections = "purpose"\n',
        '[agent]\ncommand = "rm -rf / ; sh -c evil"\n',
        '[design]\ndir = "../../outside"\n',
        "\x00\xff binary",
    ],
    ids=["syntax", "types", "agent-string", "dir-outside", "binary"],
)
async def test_a_broken_config_is_shown_and_left_alone(tmp_path: Path, config: str) -> None:
    root = make_workspace(tmp_path / "shop", config=CONFIG, designs={DESIGN: FLAWED_DESIGN})
    config_path = root / ".codemyspec" / "config.toml"
    config_path.write_text(config, encoding="utf-8", errors="surrogateescape")
    before = config_path.read_bytes()
    logs = tmp_path / "logs"
    server = await start_server(root, logs)
    try:
        uri = (root / DESIGN).as_uri()
        server.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri, "markdown", 1, FLAWED_DESIGN)
            )
        )
        assert "CMS101" in await pull(server, uri)
        messages = [m.message for m in server.seen(types.WINDOW_SHOW_MESSAGE)]
        assert any("config.toml" in m for m in messages), messages
        pushed = [
            p
            for p in server.seen(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if p.uri == config_path.as_uri()
        ]
        assert pushed and pushed[-1].diagnostics, "no diagnostic on config.toml"
        # The defaults serve meanwhile: a session can start, inside the workspace.
        session = await server.command(protocol.START_SESSION, {"context": "Billing"})
        assert inside(root, session["context"]["designFile"])
        assert server.alive()
    finally:
        await server.close()
    assert config_path.read_bytes() == before
    assert bad_log_lines(*logs.iterdir()) == []
    assert store_snapshot(root)  # the store was written inside the workspace
