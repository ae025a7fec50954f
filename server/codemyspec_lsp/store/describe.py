"""Where a workspace's sessions are kept, in words a person can act on (``workspaceInfo``)."""

from __future__ import annotations

from pathlib import Path

from codemyspec_lsp.workspace.config import CONFIG_PATH

SESSIONS_FILE = CONFIG_PATH.parent / "sessions.json"


def describe_store(root: Path) -> dict[str, str]:
    """``{"kind": "tinydb"|"postgresql", "location": ...}``: the sessions file's path, or
    ``host/dbname`` for PostgreSQL (never a password). The one place to extend per store."""
    return {"kind": "tinydb", "location": str(root.resolve() / SESSIONS_FILE)}
