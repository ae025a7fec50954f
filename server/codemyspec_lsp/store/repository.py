"""The contract between the engine and the session store (docs/architecture.md, Store)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.session.models import Session

FINISHED: frozenset[SessionStatus] = frozenset({"complete", "failed", "cancelled"})


@dataclass(frozen=True)
class PruneReport:
    """What ``prune`` deleted (or, on a dry run, would delete)."""

    sessions: tuple[str, ...]  # ids of the deleted sessions, oldest first
    session_bytes: int  # their records
    blobs: int  # stored texts no remaining session refers to
    blob_bytes: int
    dry_run: bool

    @property
    def freed_bytes(self) -> int:
        return self.session_bytes + self.blob_bytes


def prunable(statuses: Collection[SessionStatus]) -> frozenset[SessionStatus]:
    """``statuses`` if all are finished ones; a prune never touches an active session."""
    wanted = frozenset(statuses)
    if not wanted <= FINISHED:
        raise CodeMySpecError(
            "only finished sessions (complete, failed, cancelled) can be pruned, "
            f"not {', '.join(sorted(wanted - FINISHED))}"
        )
    return wanted


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

    def prune(
        self,
        statuses: Collection[SessionStatus] = FINISHED,
        updated_before: datetime | None = None,
        *,
        dry_run: bool = False,
    ) -> PruneReport:
        """Delete the finished sessions with one of ``statuses`` last updated before
        ``updated_before`` (any time if None), then every stored text no session refers to.

        Never deletes an active session (CodeMySpecError if ``statuses`` names "active").
        Crash-safe: a process killed at any instant leaves a readable store in which no
        session refers to a missing text. ``dry_run`` reports and deletes nothing.
        """
        ...
