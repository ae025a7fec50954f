"""The session store behind ``SessionRepository``: the crash-safe TinyDB files of the
workspace, or a PostgreSQL database shared by a team (``codemyspec_lsp.pgstore``, imported
only when a URL is configured)."""

from __future__ import annotations

from pathlib import Path

from codemyspec_lsp.store.describe import STORE_URL_ENV, describe_store, store_url
from codemyspec_lsp.store.repository import SessionRepository
from codemyspec_lsp.store.tinydb_repository import TinyDBSessionRepository
from codemyspec_lsp.workspace.config import WorkspaceConfig, load_config

__all__ = [
    "STORE_URL_ENV",
    "SessionRepository",
    "TinyDBSessionRepository",
    "describe_store",
    "open_repository",
    "store_url",
]


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
