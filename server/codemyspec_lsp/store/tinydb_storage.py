"""The TinyDB ``Storage`` over one crash-safe, self-checking file (see ``files.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from codemyspec_lsp.store.files import VerifiedFiles


class VerifiedJSONStorage(Storage):
    """Serialises with orjson, writes atomically, checks the integrity record on read.

    Holds no open handle, so every read sees what any process last wrote; unchanged files
    come from the shared ``VerifiedFiles`` cache.
    """

    def __init__(self, path: Path, files: VerifiedFiles) -> None:
        self.path = path
        self._files = files

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._files.read(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._files.write(self.path, data)

    def close(self) -> None:
        """Nothing is held open between operations."""
