"""Copy every session of a project from one store to another, idempotently, and verify.

Works through ``SessionRepository`` only, so any two stores will do (the CLI copies between
the workspace's TinyDB files and a PostgreSQL database). A session the target already holds
unchanged is not written again, so a second copy changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.store.repository import SessionRepository


@dataclass(frozen=True)
class CopyReport:
    created: tuple[str, ...]  # sessions the target did not have
    replaced: tuple[str, ...]  # sessions the target had in another state
    unchanged: int  # sessions the target already held as they are
    verified: int  # sessions read back from both stores and found equal

    @property
    def written(self) -> int:
        return len(self.created) + len(self.replaced)


def _replace_with(session: Session) -> Callable[[Session], Session]:
    def change(_stored: Session) -> Session:
        return session

    return change


def copy_sessions(source: SessionRepository, target: SessionRepository) -> CopyReport:
    """Make ``target`` hold every session of ``source`` as it is there; then compare."""
    created: list[str] = []
    replaced: list[str] = []
    unchanged = 0
    ids = [summary.id for summary in source.list()]
    for session_id in ids:
        session = source.get(session_id)
        try:
            held = target.get(session_id)
        except SessionNotFound:
            target.create(session)
            created.append(session_id)
            continue
        if held == session:
            unchanged += 1
        else:
            target.update(session_id, _replace_with(session))
            replaced.append(session_id)
    verified = 0
    for session_id in ids:
        if target.get(session_id) != source.get(session_id):
            raise CodeMySpecError(
                f"session {session_id} differs between the two stores after the copy; "
                "nothing else was changed by this check: run the copy again"
            )
        verified += 1
    return CopyReport(tuple(created), tuple(replaced), unchanged, verified)
