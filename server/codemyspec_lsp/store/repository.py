"""The contract between the engine and the session store (docs/architecture.md, Store)."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Protocol

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.models import Session


class SessionRepository(Protocol):
    def create(self, session: Session) -> Session:
        """Store a new session (its id must be unused); returns it."""
        ...

    def get(self, session_id: str) -> Session:
        """The stored session with its interactions. SessionNotFound, StoreUnavailable."""
        ...

    def update(self, session_id: str, change: Callable[[Session], Session]) -> Session:
        """Read-modify-write under the cross-process lock.

        ``change`` receives the freshest stored session and returns the new one; if it
        raises, nothing is written and the exception propagates.
        """
        ...

    def list(self, status: SessionStatus | None = None) -> list[Session]:
        """Sessions without interactions (summaries), in creation order."""
        ...

    def stamp(self) -> int:
        """Cheap; grows whenever any process changes the store."""
        ...

    def changed_since(self, stamp: int) -> builtins.list[Session]:
        """Summaries of the sessions changed after ``stamp`` (from ``stamp()``), oldest first."""
        ...
