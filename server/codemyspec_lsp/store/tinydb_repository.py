"""``SessionRepository`` over TinyDB files under ``.codemyspec/``.

Layout (only small files are rewritten by a step, so cost stays flat as history grows)::

    .codemyspec/sessions.json           index of active sessions: summary records (TinyDB)
    .codemyspec/sessions-finished.json  index of finished sessions, rewritten when one ends
    .codemyspec/sessions/<id>.json      one session with its interactions (TinyDB)
    .codemyspec/blobs/<sha256>          large texts, content-addressed
    .codemyspec/sessions.lock           the cross-process lock (filelock)
    .codemyspec/sessions.intent         the id being written; present only if a writer died
    .codemyspec/sessions.prune          ids being deleted by a prune; present only if it died

A change is written in this order: blobs (fsynced), the intent, the session file, the
index records, then the intent is removed. The session file is the truth; a writer killed
after it leaves the intent, and the next locked operation repairs that session's index
records before doing anything else.

A prune writes the ids it deletes to its intent first (fsynced), then drops their index
records, then their session files, removes the intent, and only then deletes the blobs no
remaining file names. The next locked operation finishes a prune that died half-way.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import filelock
import orjson
from tinydb import TinyDB
from tinydb.table import Document, Table

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound, StoreUnavailable
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.store import records
from codemyspec_lsp.store.blobs import BlobStore, digests_named_in
from codemyspec_lsp.store.files import (
    VerifiedFiles,
    fsync_dir,
    remove_temp_files,
    write_atomically,
)
from codemyspec_lsp.store.index import IndexFile, replace_with
from codemyspec_lsp.store.repository import FINISHED as _FINISHED
from codemyspec_lsp.store.repository import PruneReport, prunable
from codemyspec_lsp.store.tinydb_storage import VerifiedJSONStorage

LOCK_TIMEOUT_S = 10.0
_SESSION_TABLE = "session"
_SESSION_DOC_ID = 1
_MAX_CACHED_SUMMARIES = 128


class TinyDBSessionRepository:
    def __init__(self, root: Path, *, lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        self.directory = root / ".codemyspec"
        self.sessions_dir = self.directory / "sessions"
        self._intent_path = self.directory / "sessions.intent"
        self._prune_path = self.directory / "sessions.prune"
        self._lock_path = self.directory / "sessions.lock"
        self._lock = filelock.FileLock(str(self._lock_path), thread_local=False)
        self._lock_timeout = lock_timeout
        self._mutex = threading.RLock()
        self._files = VerifiedFiles()
        self._blobs = BlobStore(self.directory / "blobs")
        self._active = IndexFile(self.directory / "sessions.json", self._files)
        self._finished = IndexFile(self.directory / "sessions-finished.json", self._files)
        self._cleaned = False
        # id -> (revision, summary), least recently used first, bounded like the file cache.
        self._summaries: OrderedDict[str, tuple[int, Session]] = OrderedDict()

    # -- the contract ---------------------------------------------------------------------------

    def create(self, session: Session) -> Session:
        session_id = records.check_session_id(session.id)
        with self._locked():
            known = self._active.doc_ids().keys() | self._finished.doc_ids().keys()
            if session_id in known or self._session_path(session_id).exists():
                raise CodeMySpecError(f"session {session_id!r} already exists")
            self._write(session, revision=1)
        return session

    def get(self, session_id: str) -> Session:
        path = self._session_path(records.check_session_id(session_id))
        with self._mutex:
            self._repair_if_interrupted()
            stored, _, _ = self._read_session(path, session_id)
            return records.decode_session(stored, self._blobs, path)

    def update(self, session_id: str, change: Callable[[Session], Session]) -> Session:
        path = self._session_path(records.check_session_id(session_id))
        with self._locked():
            self._check_indexes()  # refuse before any write if an index is damaged
            stored, revision, _ = self._read_session(path, session_id)
            new = change(records.decode_session(stored, self._blobs, path))
            if not isinstance(new, Session) or new.id != session_id:
                raise CodeMySpecError(f"an update of session {session_id!r} changed its identity")
            # Under a working lock nobody wrote meanwhile; on a file system where flock is
            # not honoured (some network mounts) refuse rather than lose the other update.
            if self._read_session(path, session_id)[1] != revision:
                raise StoreUnavailable(
                    f"The session file {path} changed while locked: the lock file "
                    f"{self._lock_path} is not honoured on this file system."
                )
            self._write(new, revision=revision + 1)
        return new

    def list(self, status: SessionStatus | None = None) -> list[Session]:
        with self._mutex:
            self._repair_if_interrupted()
            return [
                self._summary(record)
                for record in self._index_records(status)
                if status is None or record["status"] == status
            ]

    def stamp(self) -> int:
        with self._mutex:
            self._repair_if_interrupted()
            return self._max_seq()

    def changed_since(self, stamp: int) -> builtins.list[Session]:
        with self._mutex:
            self._repair_if_interrupted()
            # Filtered before sorting: a poll costs little however long the history.
            both = self._finished.records() + self._active.records()
            changed = [r for r in both if r["changedSeq"] > stamp]
            changed.sort(key=lambda record: int(record["changedSeq"]))
            return [self._summary(record) for record in changed]

    def prune(
        self,
        statuses: Collection[SessionStatus] = _FINISHED,
        updated_before: datetime | None = None,
        *,
        dry_run: bool = False,
    ) -> PruneReport:
        wanted = prunable(statuses)
        with self._locked():
            self._check_indexes()
            victims: list[str] = []
            for record in self._index_records():
                if record["status"] not in wanted:
                    continue
                summary = self._summary(record)
                if updated_before is None or summary.updated_at < updated_before:
                    # The session file is the truth: it must say finished too.
                    stored, _, _ = self._read_session(self._session_path(summary.id), summary.id)
                    if stored.get("status") in wanted:
                        victims.append(summary.id)
            paths = [self._session_path(session_id) for session_id in victims]
            session_bytes = sum(path.stat().st_size for path in paths)
            if not dry_run and victims:
                write_atomically(self._prune_path, orjson.dumps(victims))
                self._finish_prune(victims)
            kept = [p for p in self.sessions_dir.glob("*.json") if p not in set(paths)]
            referenced = digests_named_in([*kept, self._active.path, self._finished.path])
            blobs, blob_bytes = self._blobs.sweep(referenced, dry_run=dry_run)
        return PruneReport(tuple(victims), session_bytes, blobs, blob_bytes, dry_run)

    def _finish_prune(self, session_ids: builtins.list[str]) -> None:
        """Delete ``session_ids`` named in the prune intent; the caller holds the lock."""
        self._finished.remove(*session_ids)
        self._active.remove(*session_ids)
        for session_id in session_ids:
            path = self._session_path(session_id)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            self._files.forget(path)
            self._summaries.pop(session_id, None)
        fsync_dir(self.sessions_dir)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._prune_path)
        fsync_dir(self.directory)

    # -- writing ----------------------------------------------------------------------------------

    def _write(self, session: Session, *, revision: int) -> None:
        """Write ``session`` at ``revision``; the caller holds the lock."""
        seq = self._max_seq() + 1
        stored, summary = records.encode_session(session, self._blobs)
        index_record = records.index_record(summary, revision, seq, self._blobs)
        self._blobs.sync()
        self._set_intent(session.id)
        self._put_session_record(session.id, records.session_record(stored, revision, seq))
        self._put_index_record(index_record)
        self._clear_intent()

    def _put_session_record(self, session_id: str, record: dict[str, Any]) -> None:
        # One storage write either way: TinyDB's upsert would first write an empty table.
        table = self._session_table(session_id)
        if table.contains(doc_id=_SESSION_DOC_ID):
            table.update(replace_with(record), doc_ids=[_SESSION_DOC_ID])
        else:
            table.insert(Document(record, doc_id=_SESSION_DOC_ID))

    def _put_index_record(self, record: dict[str, Any]) -> None:
        """Into the index its status belongs to; added there before leaving the other."""
        home, other = self._active, self._finished
        if record["status"] in _FINISHED:
            home, other = other, home
        home.put(record)
        other.remove(record["id"])

    # -- locking and repair ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            try:
                self.sessions_dir.mkdir(parents=True, exist_ok=True)
                self._lock.acquire(timeout=self._lock_timeout)
            except filelock.Timeout as exc:
                raise StoreUnavailable(
                    f"The session store lock {self._lock_path} is held by another process "
                    f"for more than {self._lock_timeout:g} s; try again, or stop the other "
                    "CodeMySpec process."
                ) from exc
            except OSError as exc:
                raise StoreUnavailable(
                    f"Could not lock the session store in {self.directory}: {exc}"
                ) from exc
            try:
                self._recover()
                yield
            finally:
                self._lock.release()

    def _repair_if_interrupted(self) -> None:
        """Readers take the lock only when a writer died mid-change (or one is writing)."""
        if (
            (not self._cleaned and self.directory.is_dir())
            or self._intent_path.exists()
            or self._prune_path.exists()
        ):
            with self._locked():
                pass

    def _recover(self) -> None:
        if not self._cleaned:
            for directory in (self.directory, self.sessions_dir, self._blobs.directory):
                remove_temp_files(directory)
            self._rebuild_missing_indexes()
            self._cleaned = True
        self._recover_prune()
        try:
            intent = self._intent_path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError):
            intent = ""
        try:
            targets = [records.check_session_id(intent)]
        except SessionNotFound:  # a writer died while writing the intent itself
            targets = [path.stem for path in self.sessions_dir.glob("*.json")]
        for session_id in targets:
            self._repair_index_record(session_id)
        self._clear_intent()

    def _recover_prune(self) -> None:
        """Finish the deletions of a prune that died (its intent is written whole or not)."""
        try:
            session_ids = orjson.loads(self._prune_path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, orjson.JSONDecodeError):
            session_ids = None
        if isinstance(session_ids, list):
            safe = []
            for session_id in session_ids:
                with contextlib.suppress(SessionNotFound):
                    safe.append(records.check_session_id(session_id))
            self._finish_prune(safe)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._prune_path)

    def _rebuild_missing_indexes(self) -> None:
        """An index moved aside (or never written) is rebuilt from the session files."""
        indexes = (self._active, self._finished)
        if all(index.path.exists() for index in indexes):
            return
        for path in sorted(self.sessions_dir.glob("*.json")):
            with contextlib.suppress(StoreUnavailable, SessionNotFound):
                # a damaged session file is reported when that session is asked for
                self._repair_index_record(records.check_session_id(path.stem))
        for index in indexes:
            if not index.path.exists():
                self._files.write(index.path, {})

    def _repair_index_record(self, session_id: str) -> None:
        path = self._session_path(session_id)
        try:
            stored, revision, seq = self._read_session(path, session_id)
        except SessionNotFound:
            return  # the writer died before writing the session file: nothing to repair
        status = stored.get("status")
        home, other = (
            (self._finished, self._active)
            if status in _FINISHED
            else (
                self._active,
                self._finished,
            )
        )
        indexed = home.get(session_id)
        if indexed is None or indexed.get("revision") != revision:
            session = records.decode_session(stored, self._blobs, path)
            summary = session.dump(exclude={"interactions"})
            home.put(records.index_record(summary, revision, seq, self._blobs))
        other.remove(session_id)

    def _set_intent(self, session_id: str) -> None:
        # Not fsynced: it only matters after a process kill, and the page cache survives that.
        try:
            self._intent_path.write_text(session_id, encoding="utf-8")
        except OSError as exc:
            raise StoreUnavailable(f"Could not write {self._intent_path}: {exc}") from exc

    def _clear_intent(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._intent_path)

    # -- reading ----------------------------------------------------------------------------------

    def _session_path(self, session_id: str) -> Path:
        return self.sessions_dir / f"{session_id}.json"

    def _session_table(self, session_id: str) -> Table:
        db = TinyDB(self._session_path(session_id), storage=VerifiedJSONStorage, files=self._files)
        return db.table(_SESSION_TABLE, cache_size=0)

    def _read_session(self, path: Path, session_id: str) -> tuple[dict[str, Any], int, int]:
        data = self._files.read(path)
        if data is None:
            raise SessionNotFound(session_id)
        record = data.get(_SESSION_TABLE, {}).get(str(_SESSION_DOC_ID))
        return records.parse_session_record(record, path)

    def _check_indexes(self) -> None:
        self._active.doc_ids()
        self._finished.doc_ids()

    def _max_seq(self) -> int:
        return max(self._active.max_seq(), self._finished.max_seq())

    def _index_records(self, status: SessionStatus | None = None) -> builtins.list[dict[str, Any]]:
        """The summary records (of the index ``status`` lives in, if given), oldest first.

        Active sessions are read from their own small index: asking which designs are
        being worked on must not cost more as finished history grows.
        """
        if status is None:
            chosen = self._finished.records() + self._active.records()
        else:
            chosen = (self._finished if status in _FINISHED else self._active).records()
        chosen.sort(key=lambda record: (str(record["createdAt"]), str(record["id"])))
        return chosen

    def _summary(self, record: dict[str, Any]) -> Session:
        session_id, revision = str(record["id"]), int(record["revision"])
        cached = self._summaries.get(session_id)
        if cached is not None and cached[0] == revision:
            summary = cached[1]
            self._summaries.move_to_end(session_id)
        else:
            summary = records.decode_summary(record, self._blobs, self._index_path_of(record))
            self._summaries[session_id] = (revision, summary)
            if len(self._summaries) > _MAX_CACHED_SUMMARIES:
                self._summaries.popitem(last=False)
        return summary.model_copy(deep=True)

    def _index_path_of(self, record: dict[str, Any]) -> Path:
        return (self._finished if record["status"] in _FINISHED else self._active).path
