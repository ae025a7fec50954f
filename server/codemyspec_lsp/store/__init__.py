"""The session store behind ``SessionRepository``: the crash-safe TinyDB files of the
workspace, or a PostgreSQL database shared by a team (``codemyspec_lsp.pgstore``, imported
only when a URL is configured)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from codemyspec_lsp.store.repository import SessionRepository
from codemyspec_lsp.store.tinydb_repository import TinyDBSessionRepository
from codemyspec_lsp.workspace.config import WorkspaceConfig, load_config

__all__ = [
    "STORE_URL_ENV",
    "SessionRepository",
    "StoreInfo",
    "TinyDBSessionRepository",
    "describe_store",
    "open_repository",
    "store_url",
]

STORE_URL_ENV = "CODEMYSPEC_STORE_URL"


@dataclass(frozen=True)
class StoreInfo:
    """Which store a workspace uses: ``workspaceInfo``'s ``store`` (never a password)."""

    kind: Literal["tinydb", "postgresql"]
    location: str  # the sessions file, or host/dbname

    def dump(self) -> dict[str, str]:
        return {"kind": self.kind, "location": self.location}


def store_url(config: WorkspaceConfig) -> str | None:
    """The database the workspace's sessions live in; None for the local store."""
    return os.environ.get(STORE_URL_ENV) or config.store.url or None


def open_repository(root: Path, config: WorkspaceConfig | None = None) -> SessionRepository:
    """The store of the workspace at ``root``: PostgreSQL when a URL is configured, else
    TinyDB files under ``root/.codemyspec``. Opening writes nothing and connects to nothing.
    """
    if config is None:
        config = load_config(root)[0]
    url = store_url(config)
    if url is None:
        return TinyDBSessionRepository(root)
    from codemyspec_lsp.pgstore import PostgresSessionRepository  # noqa: PLC0415

    return PostgresSessionRepository(url, config.store_project)


def describe_store(root: Path, config: WorkspaceConfig | None = None) -> StoreInfo:
    if config is None:
        config = load_config(root)[0]
    url = store_url(config)
    if url is None:
        return StoreInfo("tinydb", str(root.resolve() / ".codemyspec" / "sessions.json"))
    from codemyspec_lsp.pgstore import location  # noqa: PLC0415

    return StoreInfo("postgresql", location(url))
