"""What a person watches while an agent runs: readable text, never raw JSON.

The rule (``docs/agents.md``; the VS Code and Neovim clients follow it too): read the
command's ``metadata.output``; a stdout line that is not a JSON object is shown as it is;
a JSON object is shown as the lines ``render`` gives for that format (often none: start-up
and bookkeeping events say nothing to a person). Assistant text as text, a tool call as
``→ Tool target``, a failed tool as ``✗ message``, errors as ``error: message``, the final
event as one ``done:`` line. Streamed text fragments are joined into whole lines.
"""

from __future__ import annotations

from typing import Any

from codemyspec_lsp.agents.events import dig, json_object, number, text

MAX_HINT = 100
HINT_KEYS = ("file_path", "filePath", "path", "pattern", "command", "url", "query", "absolute_path")


def _hint(arguments: Any) -> str:
    if isinstance(arguments, dict):
        for key in HINT_KEYS:
            value = arguments.get(key)
            if isinstance(value, str | list) and value:
                shown = value if isinstance(value, str) else " ".join(map(str, value))
                shown = " ".join(shown.split())
                return " " + (shown if len(shown) <= MAX_HINT else shown[: MAX_HINT - 1] + "…")
    return ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _lines(value: Any) -> list[str]:
    return value.splitlines() if isinstance(value, str) else []


def _tokens(usage_in: Any, usage_out: Any) -> str:
    parts = []
    if number(usage_in) is not None:
        parts.append(f"{usage_in} tokens in")
    if number(usage_out) is not None:
        parts.append(f"{usage_out} out")
    return ", ".join(parts)


def _done(*parts: str) -> list[str]:
    return ["done: " + " · ".join(part for part in parts if part)]


def claude_event(event: dict[str, Any]) -> list[str]:
    kind = event.get("type")
    if kind == "system" and event.get("subtype") == "init":
        model = text(event.get("model")) or "?"
        return [f"agent session {event.get('session_id', '?')} · model {model}"]
    if kind == "assistant":
        out: list[str] = []
        for block in dig(event, "message", "content") or []:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "text":
                out += _lines(block.get("text"))
            elif block.get("type") == "tool_use":
                out.append(f"→ {block.get('name', 'tool')}{_hint(block.get('input'))}")
        return out
    if kind == "user":
        out = []
        for block in dig(event, "message", "content") or []:
            if isinstance(block, dict) and block.get("is_error"):
                content = block.get("content")
                first = _lines(content)[:1] if isinstance(content, str) else ["tool error"]
                out += [f"  ✗ {line}" for line in first]
        return out
    if kind == "result":
        cost = number(event.get("total_cost_usd"))
        turns = number(event.get("num_turns"))
        error = text(dig(event, "error", "message"))
        return _done(
            str(event.get("subtype", "finished")),
            f"{turns} turns" if turns is not None else "",
            f"${cost:.4f}" if cost is not None else "",
            f"error: {error}" if error else "",
        )
    return []


def codex_event(event: dict[str, Any]) -> list[str]:
    kind = event.get("type")
    if kind == "thread.started":
        return [f"agent thread {event.get('thread_id', '?')}"]
    if kind in ("error", "turn.failed"):
        message = text(event.get("message")) or text(dig(event, "error", "message")) or kind
        return [f"error: {message}"]
    if kind == "turn.completed":
        usage = event.get("usage")
        return _done("turn", _tokens(dig(usage, "input_tokens"), dig(usage, "output_tokens")))
    if kind != "item.completed":
        return []
    item = _obj(event.get("item"))
    item_type = item.get("type")
    if item_type == "agent_message":
        return _lines(item.get("text"))
    if item_type == "command_execution":
        code = item.get("exit_code")
        return [f"$ {item.get('command', '')}" + (f"  (exit {code})" if code else "")]
    if item_type == "file_change":
        paths = [c.get("path", "?") for c in item.get("changes") or [] if isinstance(c, dict)]
        return [f"edited {', '.join(paths)}"] if paths else []
    if item_type == "mcp_tool_call":
        return [f"→ {item.get('server', 'mcp')}.{item.get('tool', 'tool')}"]
    if item_type == "error":
        return [f"error: {item.get('message', '')}"]
    return []


def gemini_event(event: dict[str, Any]) -> list[str]:
    kind = event.get("type")
    if kind == "init":
        return [f"agent session {event.get('session_id', '?')} · model {event.get('model', '?')}"]
    if kind == "tool_use":
        return [f"→ {event.get('tool_name', 'tool')}{_hint(event.get('parameters'))}"]
    if kind == "tool_result" and event.get("status") == "error":
        return [f"  ✗ {dig(event, 'error', 'message') or 'tool error'}"]
    if kind == "error":
        return [f"error: {event.get('message', '')}"]
    if kind == "result":
        stats = event.get("stats")
        error = text(dig(event, "error", "message"))
        return _done(
            str(event.get("status", "finished")),
            _tokens(dig(stats, "input_tokens"), dig(stats, "output_tokens")),
            f"error: {error}" if error else "",
        )
    return []


def opencode_event(event: dict[str, Any]) -> list[str]:
    kind = event.get("type")
    part = _obj(event.get("part"))
    if kind == "text":
        return _lines(part.get("text"))
    if kind == "tool_use":
        return [f"→ {part.get('tool', 'tool')}{_hint(dig(part, 'state', 'input'))}"]
    if kind == "error":
        error = event.get("error")
        message = text(dig(error, "data", "message")) or text(dig(error, "message"))
        return [
            f"error: {text(dig(error, 'name')) or 'error'}" + (f": {message}" if message else "")
        ]
    return []


def copilot_event(event: dict[str, Any]) -> list[str]:
    kind = event.get("type")
    data = _obj(event.get("data"))
    if kind == "assistant.message":
        return _lines(data.get("content"))
    if kind == "tool.execution_start":
        return [f"→ {data.get('toolName', 'tool')}{_hint(data.get('arguments'))}"]
    if kind in ("session.error", "error"):
        return [f"error: {data.get('message') or event.get('message') or kind}"]
    return []


RENDERERS = {
    "claude-stream-json": claude_event,
    "codex-jsonl": codex_event,
    "gemini-stream-json": gemini_event,
    "opencode-jsonl": opencode_event,
    "copilot-jsonl": copilot_event,
}


class LiveRenderer:
    """Feed stdout lines as they come; show the lines it returns."""

    def __init__(self, output: str | None) -> None:
        self.render = RENDERERS.get(output or "text")
        self.pending = ""  # streamed assistant text not yet ended by a newline

    def feed(self, line: str) -> list[str]:
        event = json_object(line) if self.render is not None else None
        if event is None or self.render is None:
            return [*self._flush(), line]
        if event.get("type") == "message" and event.get("role") == "assistant":
            return self._stream(str(event.get("content") or ""))  # gemini's text deltas
        try:
            shown = self.render(event)
        except (AttributeError, TypeError, ValueError):
            shown = []
        return [*self._flush(), *shown]

    def finish(self) -> list[str]:
        return self._flush()

    def _stream(self, fragment: str) -> list[str]:
        *complete, self.pending = (self.pending + fragment).split("\n")
        return complete

    def _flush(self) -> list[str]:
        pending, self.pending = self.pending, ""
        return [pending] if pending.strip() else []
