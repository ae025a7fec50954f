"""What an agent run cost, from its stored stdout: ``result.data.usage``.

    {"agent", "model", "inputTokens", "outputTokens", "costUsd", "turns", "agentSessionId"}

Fields the CLI does not report are absent. ``inputTokens`` counts every input token the
model read, cached or not (Claude Code's ``input_tokens + cache_creation_input_tokens +
cache_read_input_tokens``; opencode's ``input + cache.read + cache.write``).
One parser per output format (``presets.OutputFormat``); a format that reports nothing
(``text``) gives no usage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from codemyspec_lsp.agents.events import dig, events, number, text
from codemyspec_lsp.agents.presets import OutputFormat

Usage = dict[str, Any]
FIELDS = ("agent", "model", "inputTokens", "outputTokens", "costUsd", "turns", "agentSessionId")


def _total(*values: Any) -> int | None:
    found = [v for v in (number(x) for x in values) if v is not None]
    return int(sum(found)) if found else None


def _add(usage: Usage, key: str, value: int | float | None) -> None:
    if value is not None:
        usage[key] = usage.get(key, 0) + value


def claude_usage(stdout: str) -> Usage:
    """Claude Code ``--output-format stream-json|json`` (and qwen's, which follows it)."""
    usage: Usage = {}
    for event in events(stdout):
        kind = event.get("type")
        if kind == "system" and event.get("subtype") == "init":
            usage.setdefault("model", text(event.get("model")))
            usage.setdefault("agentSessionId", text(event.get("session_id")))
        elif kind == "assistant":
            usage.setdefault("model", text(dig(event, "message", "model")))
        elif kind == "result":
            counts = event.get("usage")
            usage["inputTokens"] = _total(
                dig(counts, "input_tokens"),
                dig(counts, "cache_creation_input_tokens"),
                dig(counts, "cache_read_input_tokens"),
            )
            usage["outputTokens"] = _total(dig(counts, "output_tokens"))
            usage["costUsd"] = number(event.get("total_cost_usd"))
            usage["turns"] = number(event.get("num_turns"))
            usage["agentSessionId"] = text(event.get("session_id")) or usage.get("agentSessionId")
            models = event.get("modelUsage")
            if not usage.get("model") and isinstance(models, dict) and models:
                usage["model"] = next(iter(models))
    return usage


def codex_usage(stdout: str) -> Usage:
    """``codex exec --json``: ``thread.started`` names the thread, ``turn.completed`` counts."""
    usage: Usage = {}
    for event in events(stdout):
        kind = event.get("type")
        if kind == "thread.started":
            usage["agentSessionId"] = text(event.get("thread_id"))
        elif kind == "turn.completed":
            _add(usage, "inputTokens", number(dig(event, "usage", "input_tokens")))
            _add(usage, "outputTokens", number(dig(event, "usage", "output_tokens")))
            _add(usage, "turns", 1)
    return usage


def gemini_usage(stdout: str) -> Usage:
    """Gemini CLI ``--output-format stream-json`` (``init``/``result``) or ``json`` (``stats``)."""
    usage: Usage = {}
    for event in events(stdout):
        kind = event.get("type")
        if kind == "init":
            usage["agentSessionId"] = text(event.get("session_id"))
            usage["model"] = text(event.get("model"))
        elif kind == "result":
            usage["inputTokens"] = number(dig(event, "stats", "input_tokens"))
            usage["outputTokens"] = number(dig(event, "stats", "output_tokens"))
            models = dig(event, "stats", "models")
            if not usage.get("model") and isinstance(models, dict) and models:
                usage["model"] = next(iter(models))
        elif kind is None and isinstance(dig(event, "stats", "models"), dict):
            models = dig(event, "stats", "models")
            for name, metrics in models.items():
                usage.setdefault("model", name)
                _add(usage, "inputTokens", number(dig(metrics, "tokens", "prompt")))
                _add(usage, "outputTokens", number(dig(metrics, "tokens", "candidates")))
            usage["agentSessionId"] = text(event.get("session_id"))
    return usage


def opencode_usage(stdout: str) -> Usage:
    """``opencode run --format json``: every ``step_finish`` part carries tokens and cost."""
    usage: Usage = {}
    for event in events(stdout):
        usage.setdefault("agentSessionId", text(event.get("sessionID")))
        if event.get("type") == "step_finish":
            tokens = dig(event, "part", "tokens")
            _add(
                usage,
                "inputTokens",
                _total(
                    dig(tokens, "input"),
                    dig(tokens, "cache", "read"),
                    dig(tokens, "cache", "write"),
                ),
            )
            _add(usage, "outputTokens", _total(dig(tokens, "output"), dig(tokens, "reasoning")))
            _add(usage, "costUsd", number(dig(event, "part", "cost")))
            _add(usage, "turns", 1)
    return usage


def copilot_usage(stdout: str) -> Usage:
    """``copilot --output-format json``: session events (``assistant.usage``, ``session.*``)."""
    usage: Usage = {}
    for event in events(stdout):
        data = event.get("data") if isinstance(event.get("data"), dict) else event
        kind = event.get("type")
        usage.setdefault("agentSessionId", text(dig(data, "sessionId")))
        if kind == "assistant.usage":
            usage.setdefault("model", text(dig(data, "model")))
            _add(usage, "inputTokens", number(dig(data, "inputTokens")))
            _add(usage, "outputTokens", number(dig(data, "outputTokens")))
            _add(usage, "costUsd", number(dig(data, "cost")))
            _add(usage, "turns", 1)
    return usage


TOKENS = re.compile(r"^Tokens: (?P<sent>[\d.,]+k?) sent.*?(?P<received>[\d.,]+k?) received", re.M)
COST = re.compile(r"Cost: \$(?P<message>[\d.]+) message, \$(?P<session>[\d.]+) session")
MODEL = re.compile(r"^(?:Main model|Model): (?P<model>\S+)", re.M)


def _count(value: str) -> int:
    value = value.replace(",", "")
    return round(float(value[:-1]) * 1000) if value.endswith("k") else round(float(value))


def aider_usage(stdout: str) -> Usage:
    """aider's own report lines: ``Tokens: 2.1k sent, 310 received. Cost: $0.01 message, ...``."""
    usage: Usage = {}
    for match in TOKENS.finditer(stdout):
        _add(usage, "inputTokens", _count(match["sent"]))
        _add(usage, "outputTokens", _count(match["received"]))
        _add(usage, "turns", 1)
    costs = [float(m["message"]) for m in COST.finditer(stdout)]
    if costs:
        usage["costUsd"] = round(sum(costs), 6)
    model = MODEL.search(stdout)
    if model:
        usage["model"] = model["model"]
    return usage


PARSERS: dict[OutputFormat, Callable[[str], Usage]] = {
    "claude-stream-json": claude_usage,
    "codex-jsonl": codex_usage,
    "gemini-stream-json": gemini_usage,
    "opencode-jsonl": opencode_usage,
    "copilot-jsonl": copilot_usage,
    "aider-text": aider_usage,
}


def parse_usage(output: OutputFormat, agent: str, stdout: str) -> Usage:
    """The usage of one run ({} when the format reports nothing); never raises."""
    parser = PARSERS.get(output)
    if parser is None or not stdout:
        return {}
    try:
        found = parser(stdout)
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
    usage = {key: value for key, value in found.items() if key in FIELDS and value is not None}
    return {"agent": agent, **usage} if usage else {}


def summed(usages: Iterable[Usage]) -> Usage:
    """A session's total: tokens, cost and turns added up over its agent steps."""
    total: Usage = {}
    for usage in usages:
        for key in ("inputTokens", "outputTokens", "costUsd", "turns"):
            _add(total, key, number(usage.get(key)))
    if "costUsd" in total:
        total["costUsd"] = round(total["costUsd"], 6)
    return total
