"""URIs, paths and the editor's open buffers."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument, Workspace

# LSP ends a line at LF, CRLF or CR only; str.splitlines also at U+2028, U+0085, \x0b,
# \x0c and \x1c-\x1e. Each line keeps its end, as in splitlines(True).
_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspLinesDocument(TextDocument):
    """pygls' document with LSP's lines: pygls splits with str.splitlines, so an
    incremental edit of a text holding U+2028 or \x1c landed at the wrong place and the
    server validated a text the editor did not have (found by the fuzzing suite)."""

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LSP_LINE.findall(self.source))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        """pygls' edit, by slicing: pygls rewrites the document line by line in Python,
        which on a 5,000-line design cost more than validating the edit. Ranges pygls
        treats specially (no lines, past the end) still go to pygls."""
        lines = self.lines
        where = self.position_codec.range_from_client_units(lines, change.range)
        first, last = where.start.line, where.end.line
        if not 0 <= first <= last < len(lines):
            super()._apply_incremental_change(change)
            return
        first_at = sum(map(len, lines[:first]))
        last_at = first_at + sum(map(len, lines[first:last]))
        start = first_at + min(where.start.character, len(lines[first]))
        end = last_at + min(where.end.character, len(lines[last]))
        source = self.source
        self._source = source[:start] + change.text + source[end:]


class LspLinesWorkspace(Workspace):
    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspLinesDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )


def use_lsp_lines(workspace: Any) -> None:
    """Make the workspace pygls created at `initialize` create LspLinesDocuments."""
    if type(workspace) is Workspace:
        workspace.__class__ = LspLinesWorkspace


def uri_to_path(uri: str) -> Path | None:
    """The resolved file path of a `file:` URI (as the service resolves its root); None for
    other schemes."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    if not path:
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def path_to_uri(path: Path) -> str:
    uri = from_fs_path(str(path))
    return uri if uri is not None else path.as_uri()


def find_open_document(workspace: Workspace, path: Path) -> TextDocument | None:
    """The open buffer of `path`, whatever spelling of its URI the client used."""
    documents: dict[str, TextDocument] = workspace.text_documents
    document = documents.get(path_to_uri(path))
    if document is not None:
        return document
    for uri, candidate in list(documents.items()):
        if uri_to_path(uri) == path:
            return candidate
    return None


def open_text(workspace: Workspace, path: Path) -> str | None:
    document = find_open_document(workspace, path.resolve())
    return None if document is None else document.source
