"""Reading an agent's stdout as JSON events: one object per line, tolerant of anything else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any


def json_object(line: str) -> dict[str, Any] | None:
    """The JSON object on this line, or None (plain text, a fragment, a non-object)."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def events(stdout: str) -> Iterator[dict[str, Any]]:
    """Every JSON object of a JSONL stream; a whole-document object or array counts too."""
    stripped = stdout.strip()
    if stripped.startswith("[") or (stripped.startswith("{") and "\n" in stripped):
        try:
            whole = json.loads(stripped)
        except ValueError:
            whole = None
        if isinstance(whole, list):
            yield from (item for item in whole if isinstance(item, dict))
            return
        if isinstance(whole, dict):
            yield whole
            return
    for line in stdout.splitlines():
        event = json_object(line)
        if event is not None:
            yield event


def dig(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``, None where a step is missing or not an object."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def number(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
