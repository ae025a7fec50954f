"""One TinyDB file of session summary records (``records.index_record``).

The store keeps two: ``sessions.json`` for active sessions, rewritten by every step, and
``sessions-finished.json`` for finished ones, rewritten only when a session finishes. So
the file a step rewrites stays small however much history the workspace has.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from codemyspec_lsp.store import records
from codemyspec_lsp.store.files import VerifiedFiles
from codemyspec_lsp.store.tinydb_storage import VerifiedJSONStorage

_TABLE = "sessions"


class IndexFile:
    def __init__(self, path: Path, files: VerifiedFiles) -> None:
        self.path = path
        self._files = files
        self._db = TinyDB(path, storage=VerifiedJSONStorage, files=files)

    def records(self) -> builtins.list[dict[str, Any]]:
        """Every record, checked, in insertion order; StoreUnavailable if the file is bad."""
        checked: list[dict[str, Any]] = self._files.derived(self.path, "records", self._check)
        return list(checked)

    def doc_ids(self) -> dict[str, int]:
        mapping: dict[str, int] = self._files.derived(
            self.path,
            "doc_ids",
            lambda data: {
                record["id"]: int(doc_id)
                for doc_id, record in data.get(_TABLE, {}).items()
                for record in [records.check_index_record(record, self.path)]
            },
        )
        return mapping

    def max_seq(self) -> int:
        return int(
            self._files.derived(
                self.path,
                "max_seq",
                lambda _: max((int(r["changedSeq"]) for r in self.records()), default=0),
            )
        )

    def get(self, session_id: str) -> dict[str, Any] | None:
        doc_id = self.doc_ids().get(session_id)
        return None if doc_id is None else self._table().get(doc_id=doc_id)

    def put(self, record: dict[str, Any]) -> None:
        """Insert or replace the record of ``record["id"]``; one file write."""
        doc_id = self.doc_ids().get(record["id"])
        table = self._table()
        if doc_id is None:
            table._next_id = None  # another process may have inserted since we last looked
            table.insert(record)
        else:
            table.update(replace_with(record), doc_ids=[doc_id])

    def remove(self, *session_ids: str) -> None:
        """Drop the records of ``session_ids`` (those present); at most one file write."""
        known = self.doc_ids()
        doc_ids = [known[i] for i in session_ids if i in known]
        if doc_ids:
            self._table().remove(doc_ids=doc_ids)

    def _table(self) -> Table:
        return self._db.table(_TABLE, cache_size=0)

    def _check(self, data: dict[str, Any]) -> builtins.list[dict[str, Any]]:
        return [
            records.check_index_record(record, self.path)
            for _, record in sorted(data.get(_TABLE, {}).items(), key=lambda item: int(item[0]))
        ]


def replace_with(record: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update that makes the document exactly ``record`` (no stale keys)."""

    def replace(document: MutableMapping[str, Any]) -> None:
        document.clear()
        document.update(record)

    return replace
