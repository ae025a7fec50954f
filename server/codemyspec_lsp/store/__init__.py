"""The crash-safe TinyDB session store behind ``SessionRepository``."""

from __future__ import annotations

from pathlib import Path

from codemyspec_lsp.store.repository import SessionRepository
from codemyspec_lsp.store.tinydb_repository import TinyDBSessionRepository

__all__ = ["SessionRepository", "TinyDBSessionRepository", "open_repository"]


def open_repository(root: Path) -> SessionRepository:
    """The store of the workspace at ``root`` (files under ``root/.codemyspec``).

    Opening writes nothing; the files are created by the first change.
    """
    return TinyDBSessionRepository(root)
