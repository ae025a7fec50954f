"""Large texts in ``codemyspec.blobs``, by SHA-256, written once in the transaction of the
record that first names them, and cached (they never change)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import psycopg

from codemyspec_lsp.store.files import damaged

_CACHE_BYTES = 4 * 1024 * 1024
Conn = psycopg.Connection[tuple[object, ...]]


def _encode(text: str) -> bytes:
    # surrogatepass: a lone surrogate from a client's JSON must not make a text unstorable.
    return text.encode("utf-8", "surrogatepass")


class BlobCache:
    """Texts by digest, least recently used dropped first; shared by a repository's calls."""

    def __init__(self) -> None:
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._mutex = threading.Lock()

    def get(self, digest: str) -> str | None:
        with self._mutex:
            text = self._texts.get(digest)
            if text is not None:
                self._texts.move_to_end(digest)
            return text

    def put(self, digest: str, text: str) -> None:
        with self._mutex:
            if digest not in self._texts:
                self._texts[digest] = text
                self._bytes += len(text)
            self._texts.move_to_end(digest)
            while self._bytes > _CACHE_BYTES and self._texts:
                _, old = self._texts.popitem(last=False)
                self._bytes -= len(old)


class TransactionBlobs:
    """``TextBlobs`` for one transaction: ``put`` collects every text a record names,
    ``write`` inserts those the table lacks (asking the table, not the cache: a prune by
    another server may have removed one), ``fetch`` reads in one query what a record names."""

    def __init__(self, conn: Conn, cache: BlobCache) -> None:
        self._conn = conn
        self._cache = cache
        self._new: dict[str, str] = {}
        self._fetched: dict[str, str] = {}  # this transaction's reads, whatever the cache drops

    def put(self, text: str) -> str:
        digest = hashlib.sha256(_encode(text)).hexdigest()
        self._new[digest] = text
        return digest

    def write(self) -> None:
        """Insert the named texts the table lacks (a concurrent insert of one waits, then
        skips). The caller holds ROW EXCLUSIVE on the sessions, so no prune runs meanwhile."""
        if not self._new:
            return
        rows = self._conn.execute(
            "SELECT digest FROM codemyspec.blobs WHERE digest = ANY(%s)", (list(self._new),)
        ).fetchall()
        present = {str(row[0]) for row in rows}
        missing = [(d, _encode(text)) for d, text in self._new.items() if d not in present]
        if missing:
            with self._conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO codemyspec.blobs (digest, body) VALUES (%s, %s) "
                    "ON CONFLICT (digest) DO NOTHING",
                    missing,
                )

    def committed(self) -> None:
        """After the commit: the new texts are in the database, so may be cached."""
        for digest, text in self._new.items():
            self._cache.put(digest, text)
        self._new.clear()

    def fetch(self, digests: Iterable[str]) -> None:
        wanted = {d for d in digests if isinstance(d, str)}
        missing = sorted(d for d in wanted if self._cache.get(d) is None)
        if not missing:
            return
        rows = self._conn.execute(
            "SELECT digest, body FROM codemyspec.blobs WHERE digest = ANY(%s)", (missing,)
        ).fetchall()
        for digest, body in rows:
            assert isinstance(body, bytes)
            text = body.decode("utf-8", "surrogatepass")
            if hashlib.sha256(body).hexdigest() == digest:
                self._fetched[str(digest)] = text
                self._cache.put(str(digest), text)

    def get(self, digest: str, named_by: Path) -> str:
        text = None
        if isinstance(digest, str):
            text = self._new.get(digest) or self._fetched.get(digest) or self._cache.get(digest)
        if text is None:
            raise damaged(
                named_by,
                f"names the text {digest!r}, which is missing from codemyspec.blobs",
                "Restore the database from a backup.",
            )
        return text
