"""One store of diagnostics keyed by URI, feeding both push and pull.

Who gets what (no client sees a diagnostic twice):
- a client without pull support gets every change pushed (`publishDiagnostics`);
- a pull client asks for open documents itself, so those are never pushed to it; a
  file it has not opened (the start-up scan, a `validate_design` result, config.toml)
  is pushed, because no editor pulls for closed files; when it opens such a file the
  pushed copy is cleared so that only the pulled one remains; when diagnostics of an
  open file change without a request (a session's validation, a config change) it is
  asked to pull again (`workspace/diagnostic/refresh`) if it supports that.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import converters, types

if TYPE_CHECKING:
    from codemyspec_lsp.design.diagnostics import Diagnostic
    from codemyspec_lsp.lsp.server import CodeMySpecServer

logger = logging.getLogger(__name__)
_converter = converters.get_converter()


def to_lsp(
    diagnostics: Iterable[Diagnostic], docs_base: str | None = None
) -> tuple[types.Diagnostic, ...]:
    """LSP diagnostics whose codes link under `docs_base` (None: the installed page)."""
    return tuple(_converter.structure(d.to_lsp(docs_base), types.Diagnostic) for d in diagnostics)


@dataclass(frozen=True)
class Entry:
    version: int | None  # the document version they were computed for; None: the disk
    items: tuple[types.Diagnostic, ...]
    result_id: str


class DiagnosticsStore:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._ids = itertools.count(1)

    def get(self, uri: str) -> Entry | None:
        return self._entries.get(uri)

    def put(self, uri: str, version: int | None, items: tuple[types.Diagnostic, ...]) -> bool:
        """Store; True when the diagnostics differ from what was stored."""
        old = self._entries.get(uri)
        self._entries[uri] = Entry(version, items, str(next(self._ids)))
        return old is None or old.items != items

    def remove(self, uri: str) -> bool:
        return self._entries.pop(uri, None) is not None

    def uris(self) -> list[str]:
        return list(self._entries)


class Publisher:
    def __init__(self, server: CodeMySpecServer) -> None:
        self._server = server
        self._pushed: set[str] = set()  # URIs whose last push was not empty

    def _is_open(self, uri: str) -> bool:
        return uri in self._server.workspace.text_documents

    def _push(self, uri: str, entry: Entry | None) -> None:
        items = list(entry.items) if entry else []
        if not items and uri not in self._pushed:
            return  # nothing shown, nothing to clear
        version = entry.version if entry else None
        self._server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version)
        )
        (self._pushed.add if items else self._pushed.discard)(uri)

    def publish(self, uri: str, *, changed: bool = True, unrequested: bool = False) -> None:
        """Show the stored diagnostics of `uri` the way this client wants them."""
        entry = self._server.diagnostics.get(uri)
        if not self._server.pulls_diagnostics or not self._is_open(uri):
            self._push(uri, entry)
            return
        if uri in self._pushed:
            self._push(uri, None)
        if unrequested and changed and self._server.refreshes_diagnostics:
            self._server.workspace_diagnostic_refresh(None)

    def opened(self, uri: str) -> None:
        """A pull client now pulls this file: drop the copy pushed while it was closed."""
        if self._server.pulls_diagnostics and uri in self._pushed:
            self._push(uri, None)

    def clear(self, uri: str) -> None:
        self._server.diagnostics.remove(uri)
        self.publish(uri, unrequested=True)

    def pull_report(self, uri: str, previous_result_id: str | None) -> Any:
        entry = self._server.diagnostics.get(uri)
        if entry is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if previous_result_id == entry.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=entry.result_id)
        return types.RelatedFullDocumentDiagnosticReport(
            items=list(entry.items), result_id=entry.result_id
        )
