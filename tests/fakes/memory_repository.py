"""An in-memory ``SessionRepository`` with the store's semantics, for unit tests.

Sessions are kept as JSON (what the store writes), so a test sees exactly what a reload
from disk would give; ``update`` stores nothing when ``change`` raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.errors import SessionNotFound
from codemyspec_lsp.session.models import Session


class InMemoryRepository:
    def __init__(self) -> None:
        self._records: dict[str, dict[str, Any]] = {}
        self._changed: dict[str, int] = {}
        self._stamp = 0
        self._lock = threading.Lock()
        self.writes = 0

    def create(self, session: Session) -> Session:
        with self._lock:
            if session.id in self._records:
                raise ValueError(f"session {session.id} exists")
            self._write(session)
        return session

    def get(self, session_id: str) -> Session:
        with self._lock:
            return self._read(session_id)

    def update(self, session_id: str, change: Callable[[Session], Session]) -> Session:
        with self._lock:
            changed = change(self._read(session_id))
            self._write(changed)
            return changed

    def list(self, status: SessionStatus | None = None) -> list[Session]:
        with self._lock:
            sessions = [Session.model_validate(r) for r in self._records.values()]
        return [
            s.model_copy(update={"interactions": []})
            for s in sessions
            if status is None or s.status == status
        ]

    def stamp(self) -> int:
        return self._stamp

    def changed_since(self, stamp: int) -> list[Session]:
        ids = sorted((at, sid) for sid, at in self._changed.items() if at > stamp)
        return [self.get(sid).model_copy(update={"interactions": []}) for _, sid in ids]

    def _read(self, session_id: str) -> Session:
        record = self._records.get(session_id)
        if record is None:
            raise SessionNotFound(session_id)
        return Session.model_validate(record)

    def _write(self, session: Session) -> None:
        self._records[session.id] = session.dump()
        self._stamp += 1
        self._changed[session.id] = self._stamp
        self.writes += 1
