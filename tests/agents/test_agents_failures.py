# ruff: noqa: E501  (recorded CLI output reads best one case per line)
"""Failure classification on what the real CLIs print (recorded from the pinned versions)."""

from __future__ import annotations

import pytest

from codemyspec_lsp.agents.failures import Failure, classify, failure_of


@pytest.mark.parametrize(
    ("agent", "code", "stdout", "stderr", "error", "kind"),
    [
        ("claude", 1, '{"type":"result","is_error":true,"result":"Not logged in · Please run /login"}', "", "claude exited with code 1", "auth"),
        ("claude", 1, "", "error: unknown option '--bogus'", "claude exited with code 1", "usage"),
        ("claude", 1, "", "Error: Invalid MCP configuration:\nmcpServers: bad", "exit 1", "usage"),
        ("claude", 1, "", "No conversation found with session ID: 1234", "exit 1", "exit"),
        ("codex", 2, "", "error: unexpected argument '--full-auto' found\n\nFor more information, try '--help'.", "exit 2", "usage"),
        ("codex", None, '{"type":"error","message":"Reconnecting... 2/5"}', "", "timed out after 20 s; the command was stopped", "timeout"),
        ("gemini", 41, "", "Please set an Auth method in your settings.json", "exit 41", "auth"),
        ("gemini", 1, "", "Unknown argument: bogus", "exit 1", "usage"),
        ("gemini", 42, "", "Error resuming session: No previous sessions found for this project.", "exit 42", "exit"),
        ("qwen", 1, '{"type":"result","is_error":true,"error":{"message":"No auth type is selected. Please configure an auth type"}}', "", "exit 1", "auth"),
        ("copilot", 1, "", "Error: No authentication information found.", "exit 1", "auth"),
        ("copilot", 1, "", "error: Invalid command format.", "exit 1", "usage"),
        ("aider", None, "No LLM model was specified and no API keys were provided.\nWaiting up to 5 minutes", "", "timed out after 20 s", "auth"),
        ("opencode", 1, "", "\x1b[91mError: \x1b[0mSession not found", "exit 1", "exit"),
        ("claude", 127, "", "", "cannot start 'claude': [Errno 2] No such file or directory", "not_found"),
        ("custom", None, "", "", "cannot start 'my-agent': [Errno 2] No such file or directory", "not_found"),
        ("custom", 3, "", "something broke", "my-agent exited with code 3", "exit"),
        ("copilot", 127, "", "", "cannot start 'copilot': [Errno 7] Argument list too long: 'copilot'", "usage"),
    ],
)  # fmt: skip
def test_real_outputs_are_classified(agent, code, stdout, stderr, error, kind) -> None:
    executable = "my-agent" if agent == "custom" else agent
    failure = classify(
        agent, executable, code=code, stdout=stdout, stderr=stderr, error_message=error
    )
    assert failure.kind == kind, failure
    assert "\x1b" not in failure.message
    assert failure_of({"failure": failure.dump()}) == failure


def test_a_custom_command_naming_a_known_cli_gets_its_signatures() -> None:
    failure = classify(
        "custom", "/opt/bin/claude", code=1, stdout="Not logged in", stderr="", error_message="x"
    )
    assert failure.kind == "auth"


def test_a_malformed_stored_failure_is_ignored() -> None:
    assert failure_of({"failure": {"kind": "boom", "message": "x"}}) is None
    assert failure_of({"failure": "auth"}) is None
    assert failure_of(None) is None


def test_an_exit_names_the_last_thing_said_as_text_not_json() -> None:
    stdout = '{"type":"result","subtype":"error_max_turns","num_turns":30,"total_cost_usd":1.5}\n'
    failure = classify("claude", "claude", code=1, stdout=stdout, stderr="", error_message="x")
    assert failure == Failure("exit", "claude failed: done: error_max_turns · 30 turns · $1.5000")
