"""``SessionRepository`` on PostgreSQL: the same promises as the TinyDB store.

Every change is one transaction: the session row is read ``FOR UPDATE`` (so ``change``
sees the freshest record and a second server waits its turn: no lost update, no
duplicate ``seq``), new large texts are inserted, the project's change counter takes its
next value, the row is written and ``NOTIFY`` is queued; all of it commits or none of it
does. A change function that raises rolls the transaction back: nothing is stored.
"""

from __future__ import annotations

import builtins
import contextlib
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from codemyspec_lsp.pgstore.blobs import BlobCache, Conn, TransactionBlobs
from codemyspec_lsp.pgstore.channel import NOTIFY_CHANNEL, Channel, channel_for
from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.store import records
from codemyspec_lsp.store.files import damaged
from codemyspec_lsp.store.repository import FINISHED, PruneReport, prunable

_MAX_CACHED_SUMMARIES = 128
_LIST = (
    "SELECT id, revision, summary FROM codemyspec.sessions WHERE project = %s "
    "ORDER BY created_at, id"
)
_LIST_STATUS = (
    "SELECT id, revision, summary FROM codemyspec.sessions WHERE project = %s AND status = %s "
    "ORDER BY created_at, id"
)
_CHANGED = (
    "SELECT id, revision, summary FROM codemyspec.sessions "
    "WHERE project = %s AND changed_seq > %s ORDER BY changed_seq"
)
_PRUNE_CANDIDATES = (
    "SELECT id, revision, summary, length(body) FROM codemyspec.sessions "
    "WHERE project = %s AND status = ANY(%s) ORDER BY created_at, id"
)
# Texts no session of any project names (a digest is looked for in the stored JSON).
_UNREFERENCED = (
    "SELECT b.digest, length(b.body) FROM codemyspec.blobs b WHERE NOT EXISTS ("
    " SELECT 1 FROM codemyspec.sessions s WHERE NOT (s.project = %s AND s.id = ANY(%s))"
    " AND position(convert_to(b.digest, 'UTF8') in s.body) > 0)"
)
_READ = "SELECT revision, body FROM codemyspec.sessions WHERE project = %s AND id = %s"
_READ_LOCKED = _READ + " FOR UPDATE"


class PostgresSessionRepository:
    def __init__(self, url: str, project: str) -> None:
        self.project = project
        self._channel: Channel = channel_for(url)
        self.location = self._channel.location
        self._blobs = BlobCache()
        self._summaries: OrderedDict[str, tuple[int, Session]] = OrderedDict()

    # -- the contract ---------------------------------------------------------------------------

    def create(self, session: Session) -> Session:
        session_id = records.check_session_id(session.id)
        with self._transaction(writing=True) as (conn, blobs):
            stored, summary = records.encode_session(session, blobs)
            blobs.write()
            seq = self._next_seq(conn)
            row = conn.execute(
                "INSERT INTO codemyspec.sessions (project, id, status, created_at, revision, "
                "changed_seq, summary, body) VALUES (%s, %s, %s, %s, 1, %s, %s, %s) "
                "ON CONFLICT (project, id) DO NOTHING RETURNING id",
                (
                    self.project,
                    session_id,
                    session.status,
                    summary["createdAt"],
                    seq,
                    orjson.dumps(summary),
                    orjson.dumps(stored),
                ),
            ).fetchone()
            if row is None:
                raise CodeMySpecError(f"session {session_id!r} already exists")
            self._notify(conn, seq)
        self._committed(blobs, seq)
        return session

    def get(self, session_id: str) -> Session:
        records.check_session_id(session_id)
        with self._transaction() as (conn, blobs):
            return self._read(conn, blobs, session_id, lock=False)[0]

    def update(self, session_id: str, change: Callable[[Session], Session]) -> Session:
        records.check_session_id(session_id)
        with self._transaction(writing=True) as (conn, blobs):
            current, revision = self._read(conn, blobs, session_id, lock=True)
            new = change(current)
            if not isinstance(new, Session) or new.id != session_id:
                raise CodeMySpecError(f"an update of session {session_id!r} changed its identity")
            stored, summary = records.encode_session(new, blobs)
            blobs.write()
            seq = self._next_seq(conn)
            conn.execute(
                "UPDATE codemyspec.sessions SET status = %s, revision = %s, changed_seq = %s, "
                "summary = %s, body = %s WHERE project = %s AND id = %s",
                (
                    new.status,
                    revision + 1,
                    seq,
                    orjson.dumps(summary),
                    orjson.dumps(stored),
                    self.project,
                    session_id,
                ),
            )
            self._notify(conn, seq)
        self._committed(blobs, seq)
        return new

    def list(self, status: SessionStatus | None = None) -> list[Session]:
        with self._transaction() as (conn, _):
            if status is None:
                rows = conn.execute(_LIST, (self.project,)).fetchall()
            else:
                rows = conn.execute(_LIST_STATUS, (self.project, status)).fetchall()
        return [self._summary(row) for row in rows]

    def stamp(self) -> int:
        return self._channel.stamp(self.project, self._read_stamp)

    def changed_since(self, stamp: int) -> builtins.list[Session]:
        with self._transaction() as (conn, _):
            rows = conn.execute(_CHANGED, (self.project, stamp)).fetchall()
        return [self._summary(row) for row in rows]

    def prune(
        self,
        statuses: Collection[SessionStatus] = FINISHED,
        updated_before: datetime | None = None,
        *,
        dry_run: bool = False,
    ) -> PruneReport:
        wanted = prunable(statuses)
        with self._transaction() as (conn, _):
            # Waits for every writer and keeps them out until the commit: no change can
            # name a text between the look for unreferenced ones and their deletion.
            conn.execute("LOCK TABLE codemyspec.sessions IN SHARE MODE")
            rows = conn.execute(_PRUNE_CANDIDATES, (self.project, sorted(wanted))).fetchall()
            victims = [
                (str(row[0]), int(str(row[3])))
                for row in rows
                if updated_before is None or self._summary(row[:3]).updated_at < updated_before
            ]
            ids = [session_id for session_id, _ in victims]
            unused = conn.execute(_UNREFERENCED, (self.project, ids)).fetchall()
            if not dry_run:
                conn.execute(
                    "DELETE FROM codemyspec.sessions WHERE project = %s AND id = ANY(%s)",
                    (self.project, ids),
                )
                conn.execute(
                    "DELETE FROM codemyspec.blobs WHERE digest = ANY(%s)",
                    ([str(row[0]) for row in unused],),
                )
        return PruneReport(
            tuple(ids),
            sum(size for _, size in victims),
            len(unused),
            sum(int(str(row[1])) for row in unused),
            dry_run,
        )

    # -- beyond the contract ----------------------------------------------------------------------

    def listen(self, callback: Callable[[], None]) -> None:
        """``callback()`` (from another thread) soon after any server changes this project."""
        self._channel.subscribe(self.project, callback)

    # -- internals ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, *, writing: bool = False) -> Iterator[tuple[Conn, TransactionBlobs]]:
        """One transaction on a pooled connection; -32005 if the database is unreachable.

        A writing one first takes the lock its UPDATE would take anyway, so that a prune
        (SHARE lock) never runs between its check of the stored texts and its commit."""
        with self._channel.connection() as conn, conn.transaction():
            if writing:
                conn.execute("LOCK TABLE codemyspec.sessions IN ROW EXCLUSIVE MODE")
            yield conn, TransactionBlobs(conn, self._blobs)

    def _read(
        self, conn: Conn, blobs: TransactionBlobs, session_id: str, *, lock: bool
    ) -> tuple[Session, int]:
        row = conn.execute(_READ_LOCKED if lock else _READ, (self.project, session_id)).fetchone()
        if row is None:
            raise SessionNotFound(session_id)
        revision, body = row
        where = self._where(session_id)
        stored = _json(body, where, "session")
        blobs.fetch(_digests(stored))
        return records.decode_session(stored, blobs, where), int(str(revision))

    def _next_seq(self, conn: Conn) -> int:
        """The project's next change number; the row stays locked until commit, so numbers
        become visible in order and a watcher never sees one before a smaller one."""
        row = conn.execute(
            "INSERT INTO codemyspec.projects AS p (project, seq) VALUES (%s, 1) "
            "ON CONFLICT (project) DO UPDATE SET seq = p.seq + 1 RETURNING seq",
            (self.project,),
        ).fetchone()
        assert row is not None
        return int(str(row[0]))

    def _notify(self, conn: Conn, seq: int) -> None:
        conn.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, f"{seq} {self.project}"))

    def _committed(self, blobs: TransactionBlobs, seq: int) -> None:
        blobs.committed()
        self._channel.heard(self.project, seq)

    def _read_stamp(self) -> int:
        with self._transaction() as (conn, _):
            row = conn.execute(
                "SELECT seq FROM codemyspec.projects WHERE project = %s", (self.project,)
            ).fetchone()
        return int(str(row[0])) if row else 0

    def _summary(self, row: tuple[object, ...]) -> Session:
        session_id, revision, summary = str(row[0]), int(str(row[1])), row[2]
        cached = self._summaries.get(session_id)
        if cached is not None and cached[0] == revision:
            self._summaries.move_to_end(session_id)
            return cached[1].model_copy(deep=True)
        where = self._where(session_id)
        decoded = _json(summary, where, "summary")
        if not isinstance(decoded, dict) or decoded.get("id") != session_id:
            raise damaged(where, "holds a summary that does not match its row")
        try:
            session = Session.model_validate({**decoded, "interactions": []})
        except ValidationError as exc:
            raise damaged(where, f"holds a summary that does not validate: {exc}") from exc
        self._summaries[session_id] = (revision, session)
        if len(self._summaries) > _MAX_CACHED_SUMMARIES:
            self._summaries.popitem(last=False)
        return session.model_copy(deep=True)

    def _where(self, session_id: str) -> Path:
        """What error messages name: the database and the row."""
        return Path(f"{self.location} (project {self.project!r}, session {session_id})")


def _json(column: object, where: Path, what: str) -> Any:
    try:
        return orjson.loads(column if isinstance(column, bytes) else b"")
    except orjson.JSONDecodeError as exc:
        raise damaged(where, f"holds a {what} that is not JSON ({exc})") from exc


def _digests(stored: Any) -> builtins.list[str]:
    if not isinstance(stored, dict) or not isinstance(stored.get("interactions"), list):
        return []
    found: builtins.list[str] = []
    for item in stored["interactions"]:
        refs = item.get("blobs") if isinstance(item, dict) else None
        if isinstance(refs, dict):
            found += [d for d in refs.values() if isinstance(d, str)]
    return found
