"""Content-addressed text files beside the store, so the JSON records stay small.

A blob is named by the SHA-256 of its UTF-8 bytes and never changes, so it is written
(and fsynced) once, before any record that names it, and can be cached freely. Only
``sweep`` deletes blobs, under the store lock (every ``put`` happens under it too), after
the records that named them are gone; it also collects the unused blobs a process killed
mid-update leaves behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from codemyspec_lsp.session.errors import StoreUnavailable
from codemyspec_lsp.store.files import (
    FRAME_PREFIX,
    HEADER_LEN,
    damaged,
    fsync_dir,
    write_atomically,
)

_DIGEST = re.compile(r"[0-9a-f]{64}")
_DIGEST_BYTES = re.compile(rb"[0-9a-f]{64}")
_CACHE_BYTES = 4 * 1024 * 1024


def _encode(text: str) -> bytes:
    # surrogatepass: a lone surrogate from a client's JSON must not make a text unstorable.
    return text.encode("utf-8", "surrogatepass")


class BlobStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cached_bytes = 0
        self._digests: OrderedDict[str, str] = OrderedDict()  # text -> digest, recent texts
        self._unsynced = False
        self._mutex = threading.Lock()

    def put(self, text: str) -> str:
        """Store ``text`` (if not already there) and return its digest; call ``sync`` after."""
        digest = self._digest_of(text)
        path = self.directory / digest
        if not path.exists():
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                write_atomically(path, _encode(text), sync_dir=False)
            except OSError as exc:
                raise StoreUnavailable(f"Could not write the blob file {path}: {exc}") from exc
            self._unsynced = True
        self._remember(digest, text)
        return digest

    def sync(self) -> None:
        """Make the blobs written since the last call durable before a record names them."""
        if self._unsynced:
            fsync_dir(self.directory)
            self._unsynced = False

    def get(self, digest: str, named_by: Path) -> str:
        """The text of blob ``digest``, which the record in ``named_by`` refers to."""
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            raise damaged(named_by, f"names an invalid blob {digest!r}")
        with self._mutex:
            cached = self._cache.get(digest)
            if cached is not None:
                self._cache.move_to_end(digest)
                return cached
        path = self.directory / digest
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise damaged(
                named_by, f"names the blob {path}, which is missing", "Restore the blob file."
            ) from exc
        except OSError as exc:
            raise StoreUnavailable(f"Could not read the blob file {path}: {exc}") from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise StoreUnavailable(
                f"The blob file {path} does not match its name (it was truncated or edited). "
                "It has been left as it is; restore it from a backup."
            )
        text = data.decode("utf-8", "surrogatepass")
        self._remember(digest, text)
        return text

    def sweep(self, referenced: set[str], *, dry_run: bool = False) -> tuple[int, int]:
        """Delete every blob not in ``referenced``; (how many, their bytes).

        The caller holds the store lock and has removed the records that named them.
        """
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return 0, 0
        count = size = 0
        for name in sorted(names):
            if not _DIGEST.fullmatch(name) or name in referenced:
                continue
            path = self.directory / name
            try:
                length = path.stat().st_size
                if not dry_run:
                    path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreUnavailable(f"Could not delete the blob file {path}: {exc}") from exc
            count, size = count + 1, size + length
            with self._mutex:
                text = self._cache.pop(name, None)
                if text is not None:
                    self._cached_bytes -= len(text)
                    self._digests.pop(text, None)
        if count and not dry_run:
            fsync_dir(self.directory)
        return count, size

    def _digest_of(self, text: str) -> str:
        with self._mutex:
            digest = self._digests.get(text)
        if digest is None:
            digest = hashlib.sha256(_encode(text)).hexdigest()
        return digest

    def _remember(self, digest: str, text: str) -> None:
        with self._mutex:
            if digest not in self._cache:
                self._cache[digest] = text
                self._cached_bytes += len(text)
            self._cache.move_to_end(digest)
            self._digests[text] = digest
            self._digests.move_to_end(text)
            while self._cached_bytes > _CACHE_BYTES and self._cache:
                _, old_text = self._cache.popitem(last=False)
                self._cached_bytes -= len(old_text)
                self._digests.pop(old_text, None)


def digests_named_in(paths: Iterable[Path]) -> set[str]:
    """Every blob name that occurs anywhere in the bytes of ``paths`` (missing files skipped).

    Read as bytes, not decoded: a damaged record file still keeps every blob it names.
    The integrity record (the file's own checksum) is skipped.
    """
    found: set[str] = set()
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreUnavailable(f"Could not read the session store file {path}: {exc}") from exc
        body = data[HEADER_LEN:] if data.startswith(FRAME_PREFIX) else data
        found.update(match.decode("ascii") for match in _DIGEST_BYTES.findall(body))
    return found
