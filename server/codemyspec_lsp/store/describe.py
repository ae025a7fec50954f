"""Where a workspace's sessions are kept, in words a person can act on (``workspaceInfo``)."""

from __future__ import annotations

import os
from pathlib import Path

from codemyspec_lsp.workspace.config import CONFIG_PATH, WorkspaceConfig, load_config

SESSIONS_FILE = CONFIG_PATH.parent / "sessions.json"
STORE_URL_ENV = "CODEMYSPEC_STORE_URL"


def store_url(config: WorkspaceConfig) -> str | None:
    """The database the workspace's sessions live in (the environment variable wins over
    ``[store] url``); None for the workspace-local TinyDB store."""
    return os.environ.get(STORE_URL_ENV) or config.store.url or None


def describe_store(root: Path, config: WorkspaceConfig | None = None) -> dict[str, str]:
    """``{"kind": "tinydb"|"postgresql", "location": ...}``: the sessions file's path, or
    ``host/dbname`` for PostgreSQL (never a password). The one place to extend per store."""
    if config is None:
        config = load_config(root)[0]
    url = store_url(config)
    if url is None:
        return {"kind": "tinydb", "location": str(root.resolve() / SESSIONS_FILE)}
    from codemyspec_lsp.pgstore import location  # noqa: PLC0415  (only with a URL)

    return {"kind": "postgresql", "location": location(url)}
