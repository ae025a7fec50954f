"""One store of diagnostics keyed by URI, feeding both push and pull.

Who gets what (no client sees a diagnostic twice):
- a client without pull support gets every change pushed (`publishDiagnostics`);
- a pull client asks for open documents itself, so those are never pushed to it; a
  file it has not opened (the start-up scan, a `validate_design` result, config.toml)
  is pushed, because no editor pulls for closed files; when it opens such a file the
  pushed copy is cleared so that only the pulled one remains; when diagnostics of an
  open file change without a request (a session's validation, a config change) it is
  asked to pull again (`workspace/diagnostic/refresh`) if it supports that;
- a client that pulls workspace diagnostics (`workspace/diagnostic`) gets closed files
  that way, so from its first such request they are no longer pushed to it.

Each URI holds two layers: the file's own diagnostics (`put`) and those across files
(`put_cross`, CMS130-132, from `lsp/architecture.py`); clients see them as one list.
"""

from __future__ import annotations

import asyncio
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
        self._own: dict[str, tuple[types.Diagnostic, ...]] = {}
        self._cross: dict[str, tuple[types.Diagnostic, ...]] = {}
        self._ids = itertools.count(1)

    def get(self, uri: str) -> Entry | None:
        return self._entries.get(uri)

    def put(self, uri: str, version: int | None, items: tuple[types.Diagnostic, ...]) -> bool:
        """Store a file's own diagnostics; True when what it shows changed."""
        self._own[uri] = items
        return self._combine(uri, version)

    def put_cross(self, uri: str, items: tuple[types.Diagnostic, ...]) -> bool:
        """Store a file's diagnostics across files, for the version its own are for."""
        if self._cross.get(uri, ()) == items:
            return False
        if items:
            self._cross[uri] = items
        else:
            self._cross.pop(uri, None)
        entry = self._entries.get(uri)
        return self._combine(uri, entry.version if entry else None)

    def _combine(self, uri: str, version: int | None) -> bool:
        old = self._entries.get(uri)
        items = self._own.get(uri, ()) + self._cross.get(uri, ())
        if old is not None and old.items == items:
            # Same diagnostics: same result id, so a pull is answered "unchanged".
            self._entries[uri] = Entry(version, items, old.result_id)
            return False
        self._entries[uri] = Entry(version, items, str(next(self._ids)))
        return True

    def remove(self, uri: str) -> bool:
        self._own.pop(uri, None)
        self._cross.pop(uri, None)
        return self._entries.pop(uri, None) is not None

    def uris(self) -> list[str]:
        return list(self._entries)


class Publisher:
    def __init__(self, server: CodeMySpecServer) -> None:
        self._server = server
        self._pushed: set[str] = set()  # URIs whose last push was not empty
        # Set by the client's first `workspace/diagnostic`: closed files are pulled too.
        self.workspace_pulls = False
        self._refresh_due = False

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
        is_open = self._is_open(uri)
        if not self._server.pulls_diagnostics or (not is_open and not self.workspace_pulls):
            self._push(uri, entry)
            return
        if uri in self._pushed:
            self._push(uri, None)
        if (unrequested or not is_open) and changed:
            self.refresh()

    def refresh(self) -> None:
        """Ask a pull client to pull again: once for everything changed in this turn."""
        if self._refresh_due or not self._server.refreshes_diagnostics:
            return
        self._refresh_due = True

        def send() -> None:
            self._refresh_due = False
            self._server.workspace_diagnostic_refresh(None)

        asyncio.get_running_loop().call_soon(send)

    def pull_workspace(self) -> None:
        """The client pulls workspace diagnostics: take back what was pushed for closed files."""
        self.workspace_pulls = True
        for uri in list(self._pushed):
            if not self._is_open(uri):
                self._push(uri, None)

    def opened(self, uri: str) -> None:
        """A pull client now pulls this file: drop the copy pushed while it was closed."""
        if self._server.pulls_diagnostics and uri in self._pushed:
            self._push(uri, None)

    def clear(self, uri: str) -> None:
        self._server.diagnostics.remove(uri)
        self.publish(uri, unrequested=True)

    def workspace_report(self, previous: dict[str, str]) -> types.WorkspaceDiagnosticReport:
        """Every file's diagnostics; "unchanged" where the client's result id still holds."""
        reports: list[Any] = []
        store = self._server.diagnostics
        for uri in store.uris():
            entry = store.get(uri)
            if entry is None:
                continue
            if previous.get(uri) == entry.result_id:
                reports.append(
                    types.WorkspaceUnchangedDocumentDiagnosticReport(
                        uri=uri, version=entry.version, result_id=entry.result_id
                    )
                )
            else:
                reports.append(
                    types.WorkspaceFullDocumentDiagnosticReport(
                        uri=uri,
                        version=entry.version,
                        items=list(entry.items),
                        result_id=entry.result_id,
                    )
                )
        for uri in previous:
            if store.get(uri) is None:  # gone since the client's last pull: clear it
                reports.append(
                    types.WorkspaceFullDocumentDiagnosticReport(uri=uri, version=None, items=[])
                )
        return types.WorkspaceDiagnosticReport(items=reports)

    def pull_report(self, uri: str, previous_result_id: str | None) -> Any:
        entry = self._server.diagnostics.get(uri)
        if entry is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if previous_result_id == entry.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=entry.result_id)
        return types.RelatedFullDocumentDiagnosticReport(
            items=list(entry.items), result_id=entry.result_id
        )
