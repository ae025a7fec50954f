"""Usage parsed from each CLI's documented output, and the live view: text, never JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemyspec_lsp.agents.render import LiveRenderer
from codemyspec_lsp.agents.usage import parse_usage, summed

DATA = Path(__file__).resolve().parent / "data"


def recorded(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("output", "agent", "file", "expected"),
    [
        (
            "claude-stream-json", "claude", "claude-stream.jsonl",
            {"agent": "claude", "model": "claude-sonnet-4-5", "inputTokens": 2000,
             "outputTokens": 900, "costUsd": 0.0123, "turns": 4,
             "agentSessionId": "9f1c2d3e-0000-4000-8000-000000000001"},
        ),
        (
            "codex-jsonl", "codex", "codex.jsonl",
            {"agent": "codex", "inputTokens": 24763, "outputTokens": 122, "turns": 1,
             "agentSessionId": "0199a213-81c0-7800-8aa1-bbab2a035a53"},
        ),
        (
            "gemini-stream-json", "gemini", "gemini-stream.jsonl",
            {"agent": "gemini", "model": "gemini-2.5-pro", "inputTokens": 5000,
             "outputTokens": 400, "agentSessionId": "c0ffee00-0000-4000-8000-000000000002"},
        ),
        (
            "opencode-jsonl", "opencode", "opencode.jsonl",
            {"agent": "opencode", "inputTokens": 2500, "outputTokens": 80, "costUsd": 0.003,
             "turns": 2, "agentSessionId": "ses_494719016ffe85dkDMj0FPRbHK"},
        ),
        (
            "copilot-jsonl", "copilot", "copilot.jsonl",
            {"agent": "copilot", "model": "gpt-5", "inputTokens": 3000, "outputTokens": 250,
             "costUsd": 1, "turns": 1, "agentSessionId": "5b2c0d1e-0000-4000-8000-000000000003"},
        ),
        (
            "aider-text", "aider", "aider.txt",
            {"agent": "aider", "model": "anthropic/claude-sonnet-4-5", "inputTokens": 4200,
             "outputTokens": 1100, "costUsd": 0.03, "turns": 1},
        ),
    ],
)  # fmt: skip
def test_usage_from_recorded_output(output, agent, file, expected) -> None:
    usage = parse_usage(output, agent, recorded(file))
    assert usage == pytest.approx(expected) if "costUsd" in expected else usage == expected


def test_nothing_reported_gives_no_usage_and_bad_output_never_raises() -> None:
    assert parse_usage("text", "custom", "hello") == {}
    assert parse_usage("claude-stream-json", "claude", "not json\n{broken\n[1,2]\n") == {}
    assert parse_usage("codex-jsonl", "codex", '{"type":"turn.completed","usage":"x"}') == {
        "agent": "codex",
        "turns": 1,
    }


def test_a_session_total_adds_the_steps() -> None:
    steps = [
        {"agent": "claude", "inputTokens": 100, "outputTokens": 10, "costUsd": 0.1, "turns": 2},
        {"agent": "claude", "inputTokens": 50, "costUsd": 0.05},
    ]
    assert summed(steps) == {"inputTokens": 150, "outputTokens": 10, "costUsd": 0.15, "turns": 2}


def live(output: str, text: str) -> list[str]:
    renderer = LiveRenderer(output)
    lines = [shown for line in text.splitlines() for shown in renderer.feed(line)]
    return lines + renderer.finish()


def test_claude_stream_is_shown_as_text() -> None:
    assert live("claude-stream-json", recorded("claude-stream.jsonl")) == [
        "agent session 9f1c2d3e-0000-4000-8000-000000000001 · model claude-sonnet-4-5",
        "I will write the design.",
        "First I read the stories.",
        "→ Read /ws/.codemyspec/stories/orders.md",
        "→ Write /ws/docs/design/shop/orders.md",
        "  ✗ Permission denied",
        "done: success · 4 turns · $0.0123",
    ]


def test_codex_events_are_shown_as_text() -> None:
    assert live("codex-jsonl", recorded("codex.jsonl")) == [
        "agent thread 0199a213-81c0-7800-8aa1-bbab2a035a53",
        "$ bash -lc 'cat .codemyspec/stories/orders.md'",
        "edited docs/design/shop/orders.md",
        "Wrote the design.",
        "done: turn · 24763 tokens in, 122 out",
    ]


def test_gemini_text_deltas_are_joined_into_lines() -> None:
    assert live("gemini-stream-json", recorded("gemini-stream.jsonl")) == [
        "agent session c0ffee00-0000-4000-8000-000000000002 · model gemini-2.5-pro",
        "I will write the design.",
        "Then check it.",
        "→ write_file docs/design/shop/orders.md",
        "done: success · 5000 tokens in, 400 out",
    ]


@pytest.mark.parametrize(
    ("output", "file"),
    [
        ("claude-stream-json", "claude-stream.jsonl"),
        ("codex-jsonl", "codex.jsonl"),
        ("gemini-stream-json", "gemini-stream.jsonl"),
        ("opencode-jsonl", "opencode.jsonl"),
        ("copilot-jsonl", "copilot.jsonl"),
        ("aider-text", "aider.txt"),
    ],
)
def test_no_raw_json_reaches_the_person(output: str, file: str) -> None:
    shown = live(output, recorded(file))
    assert shown
    assert not [line for line in shown if line.lstrip().startswith("{")]


def test_plain_lines_pass_through_and_unknown_events_say_nothing() -> None:
    assert live("codex-jsonl", 'WARNING: no git\n{"type":"turn.started"}\n') == ["WARNING: no git"]
    assert live("text", '{"raw": 1}') == ['{"raw": 1}']  # a custom command is shown as it is
