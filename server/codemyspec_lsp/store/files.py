"""Crash-safe, self-checking JSON files: the bytes every store file is made of.

A file is written whole to a temporary file in the same folder, fsynced and renamed over
the old one, so a reader (or a process killed at any instant) sees the whole old or the
whole new file, never a mixture. Its first bytes carry the SHA-256 of the rest, so an
empty, truncated or hand-edited file is told apart from a valid one and reported with its
path instead of being read as an empty store. Such a file is never written over.

Reads are cached on (inode, size, mtime, checksum): a hit costs one open and a 91-byte
read; the checksum in the key keeps the cache exact even when the file system reuses an
inode within one timestamp tick.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from codemyspec_lsp.session.errors import StoreUnavailable

# '{"_integrity":{"sha256":"<64 hex>"},' then the body without its opening brace.
_PREFIX = b'{"_integrity":{"sha256":"'
_HEX_END = len(_PREFIX) + 64
_HEADER_LEN = _HEX_END + 2  # the closing '"}'
FRAME_PREFIX, HEADER_LEN = _PREFIX, _HEADER_LEN
TEMP_SUFFIX = ".tmp"

INDEX_NAMES = ("sessions.json", "sessions-finished.json")


def damaged(path: Path, what: str, hint: str | None = None) -> StoreUnavailable:
    if hint is None:
        if path.name in INDEX_NAMES:
            hint = "Move it aside: the index is then rebuilt from the session files beside it."
        else:
            hint = (
                "Move it aside (or restore it from a backup); that session is then no "
                "longer available."
            )
    return StoreUnavailable(
        f"The session store file {path} {what}. It has been left exactly as it is. {hint}"
    )


def frame(body: bytes) -> bytes:
    """``body`` (a serialised JSON object) prefixed with its integrity record."""
    digest = hashlib.sha256(body).hexdigest().encode("ascii")
    if body == b"{}":
        return _PREFIX + digest + b'"}}'
    return _PREFIX + digest + b'"},' + body[1:]


def unframe(raw: bytes, path: Path) -> bytes:
    """The body of a framed file, or StoreUnavailable if it is not exactly what was written."""
    if not raw:
        raise damaged(path, "is empty")
    if not raw.startswith(_PREFIX) or raw[_HEX_END:_HEADER_LEN] != b'"}':
        raise damaged(
            path,
            "has no integrity record (it is truncated, edited by hand, or was not written "
            "by CodeMySpec)",
        )
    tail = raw[_HEADER_LEN:]
    if tail == b"}":
        body = b"{}"
    elif tail.startswith(b","):
        body = b"{" + tail[1:]
    else:
        raise damaged(path, "has a malformed integrity record")
    if hashlib.sha256(body).hexdigest().encode("ascii") != raw[len(_PREFIX) : _HEX_END]:
        raise damaged(path, "does not match its checksum (it was truncated or edited by hand)")
    return body


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def remove_temp_files(directory: Path) -> None:
    """Delete temporary files a killed writer left behind (call only under the store lock)."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        if name.startswith(".") and name.endswith(TEMP_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(directory / name)


@dataclass
class _Entry:
    key: tuple[int, int, int, bytes]
    data: dict[str, Any]
    derived: dict[str, Any] = field(default_factory=dict)


class VerifiedFiles:
    """Reads and writes framed JSON files, caching what was last read or written per path.

    The cached object is shared with the caller (TinyDB mutates it just before writing it
    back); a failed write drops it so the next read goes to the disk again.
    """

    # Enough for both indexes and the sessions a server is working on; a long-lived server
    # must not keep every session file it ever read.
    MAX_ENTRIES = 64

    def __init__(self) -> None:
        self._entries: OrderedDict[Path, _Entry] = OrderedDict()
        self._mutex = threading.Lock()

    def _remember(self, path: Path, entry: _Entry) -> None:
        """Cache `entry` as the most recently used; the caller holds the mutex."""
        self._entries[path] = entry
        self._entries.move_to_end(path)
        while len(self._entries) > self.MAX_ENTRIES:
            self._entries.popitem(last=False)

    def read(self, path: Path) -> dict[str, Any] | None:
        """The file's JSON object, None if the file does not exist; StoreUnavailable if bad."""
        entry = self._current(path)
        return None if entry is None else entry.data

    def derived(self, path: Path, name: str, compute: Any) -> Any:
        """A value computed from the file's current content, computed once per version."""
        entry = self._current(path)
        if entry is None:
            return compute({})
        if name not in entry.derived:
            entry.derived[name] = compute(entry.data)
        return entry.derived[name]

    def write(self, path: Path, data: dict[str, Any]) -> None:
        try:
            raw = frame(orjson.dumps(data))
            write_atomically(path, raw)
            stat = os.stat(path)
        except (OSError, TypeError, orjson.JSONEncodeError) as exc:
            self.forget(path)
            raise StoreUnavailable(f"Could not write the session store file {path}: {exc}") from exc
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns, raw[len(_PREFIX) : _HEX_END])
        with self._mutex:
            self._remember(path, _Entry(key, data))

    def forget(self, path: Path) -> None:
        with self._mutex:
            self._entries.pop(path, None)

    def _current(self, path: Path) -> _Entry | None:
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below, on every path
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreUnavailable(f"Could not read the session store file {path}: {exc}") from exc
        with handle:
            try:
                stat = os.fstat(handle.fileno())
                head = handle.read(_HEADER_LEN)
                key = (stat.st_ino, stat.st_size, stat.st_mtime_ns, head[len(_PREFIX) : _HEX_END])
                with self._mutex:
                    entry = self._entries.get(path)
                    if entry is not None and entry.key == key:
                        self._entries.move_to_end(path)
                        return entry
                raw = head + handle.read()
            except OSError as exc:
                raise StoreUnavailable(
                    f"Could not read the session store file {path}: {exc}"
                ) from exc
        data = _parse(unframe(raw, path), path)
        entry = _Entry(key, data)
        with self._mutex:
            self._remember(path, entry)
        return entry


def _parse(body: bytes, path: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise damaged(path, f"is not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise damaged(path, "is not a TinyDB database (tables of documents)")
    return data
