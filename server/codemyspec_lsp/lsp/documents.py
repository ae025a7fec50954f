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
    server validated a text the editor did not have (found by the fuzzing suite).

    The lines of the current text are kept, and an edit splits again only the lines it
    touched: splitting a 5,000-line design on every keystroke cost more than the rest of
    applying the edit."""

    _split: tuple[str, tuple[str, ...]] | None = None  # (the text, its lines)

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        split = self._split
        if split is None or split[0] is not source:
            split = self._split = (source, tuple(_LSP_LINE.findall(source)))
        return split[1]

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        """pygls' edit, by slicing: pygls rewrites the document line by line in Python,
        which on a 5,000-line design cost more than validating the edit. Ranges pygls
        treats specially (no lines, past the end) still go to pygls."""
        lines = tuple(self.lines)
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
        text = self._source = source[:start] + change.text + source[end:]
        middle = source[first_at:start] + change.text + source[end : last_at + len(lines[last])]
        relined = _relined(lines, first, last, middle)
        self._split = None if relined is None else (text, relined)


def _relined(lines: tuple[str, ...], first: int, last: int, middle: str) -> tuple[str, ...] | None:
    """The lines after lines[first:last + 1] became the text ``middle``; None when the
    edit may join lines across its ends (a CR left before an LF, a line left without its
    end), which only splitting the whole text again decides."""
    before = lines[first - 1] if first else ""
    after = lines[last + 1] if last + 1 < len(lines) else ""
    if before.endswith("\r") and (middle or after).startswith("\n"):
        return None  # CR | LF: one line end
    if after and middle and not middle.endswith(("\n", "\r")):
        return None  # the middle's last line runs on into the next
    if after.startswith("\n") and (middle or before).endswith("\r"):
        return None
    return lines[:first] + tuple(_LSP_LINE.findall(middle)) + lines[last + 1 :]


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
