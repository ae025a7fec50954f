"""The workspace's designs checked against each other, over LSP.

A layer above the per-file validation (`validation.py`): after a file's own validation,
before its diagnostics are published, `indexed` stores the file's facts (taken from the
report that validation made anyway) in its folder's `DesignIndex` and puts the file's
diagnostics across files (CMS130-132) beside its own. When the edit changed what other
designs see (a module, a dependency, a component), one pass then recomputes every other
design's and publishes those that changed, never for a buffer that has moved past the
version its facts came from (its own validation is on its way and does it then).

Files change behind the editor's back too: `workspace/didChangeWatchedFiles` (registered
dynamically where the client can), else a poll of the design files' stamps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from codemyspec_lsp.lsp.diagnostics import to_lsp
from codemyspec_lsp.lsp.documents import path_to_uri, uri_to_path

if TYPE_CHECKING:
    from codemyspec_lsp.architecture.facts import DesignFacts
    from codemyspec_lsp.architecture.index import Describer, DesignIndex, Stamp
    from codemyspec_lsp.design.diagnostics import Diagnostic
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer

logger = logging.getLogger(__name__)
POLL_SECONDS = 2.0  # the disk poll for clients that do not watch files
WATCH_GLOB = "**/*.md"


class Architecture:
    def __init__(self, server: CodeMySpecServer) -> None:
        self._server = server
        self._indexes: dict[str, DesignIndex] = {}  # by folder URI
        self._shown: dict[str, tuple[Diagnostic, ...]] = {}  # uri -> cross-file, as stored
        self._uris: dict[Path, str] = {}
        self._due: set[str] = set()  # folders whose other designs need a pass
        self._batch = 0  # > 0 during a scan: one pass at its end
        self.built = asyncio.Event()  # set once the first scan has indexed every design
        self.watches_files = False
        self._poller: asyncio.Task[None] | None = None

    # -- indexes ------------------------------------------------------------------------------

    def index(self, project: Project) -> DesignIndex:
        index = self._indexes.get(project.uri)
        if index is None:
            from codemyspec_lsp.architecture.index import DesignIndex

            config = project.service.config
            index = DesignIndex(
                project.root, project.design_dir, config.known_modules(), project.options
            )
            self._indexes[project.uri] = index
        return index

    def reset(self, project: Project) -> None:
        """The folder's configuration changed: its index starts again (the scan refills it)."""
        self._indexes.pop(project.uri, None)

    def forget(self, project: Project) -> None:
        self._indexes.pop(project.uri, None)
        self._due.discard(project.uri)

    def indexes(self) -> list[tuple[Project, DesignIndex]]:
        return [(p, self.index(p)) for p in self._server.projects]

    # -- after a file's own validation --------------------------------------------------------

    def describer(self, project: Project, path: Path, version: int | None) -> Describer:
        """The pure function from the file's report to its facts, for the validation thread
        (which then hands them to `indexed`)."""
        return self.index(project).describer(path, version)

    def indexed(
        self,
        project: Project,
        path: Path,
        uri: str,
        facts: DesignFacts | None,
        *,
        stamp: Stamp | None = None,
    ) -> bool:
        """Index the file's facts (made from its validation report by `describer`, None
        when it is no context's design) and store its cross-file diagnostics (not published:
        the caller publishes the file). True when the file's diagnostics changed."""
        index = self.index(project)
        if facts is not None and facts.module != index.module_of(path):
            facts = None  # described before a reload moved the design dir: not a design now
        if facts is None:
            return self._store(project, uri, ())
        if index.put(facts, path, stamp):
            self._schedule(project)
        if self._batch:
            return False  # the scan's end computes every file against the whole graph
        return self._store(project, uri, self._check(index, facts))

    def removed(self, project: Project, path: Path) -> None:
        if self.index(project).remove(path):
            self._schedule(project)
        self._shown.pop(path_to_uri(path), None)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Index many files (the start-up scan), then check them all once."""
        self._batch += 1
        try:
            yield
        finally:
            self._batch -= 1
            if not self._batch:
                for project in self._server.projects:
                    self._schedule(project)
                self.built.set()

    # -- the pass over the other designs --------------------------------------------------------

    def _schedule(self, project: Project) -> None:
        if self._batch:
            return
        if not self._due:
            asyncio.get_running_loop().call_soon(self._run_due)
        self._due.add(project.uri)

    def _run_due(self) -> None:
        due, self._due = self._due, set()
        for project in self._server.projects:
            if project.uri in due:
                try:
                    self.check_all(project)
                except Exception:
                    logger.exception("checking the designs of %s failed", project.root)

    def check_all(self, project: Project) -> None:
        """The cross-file diagnostics of every design an edit may have affected, against the
        current graph; publish those that changed."""
        index = self.index(project)
        documents = self._server.workspace.text_documents
        publisher = self._server.validator.publisher
        for path, facts in index.affected():
            uri = self._uri(path)
            document = documents.get(uri)
            if (document.version if document else None) != facts.version:
                continue  # the buffer moved on: its own validation is coming and checks it
            if self._store(project, uri, self._check(index, facts)):
                publisher.publish(uri, changed=True, unrequested=True)

    def _uri(self, path: Path) -> str:
        uri = self._uris.get(path)
        if uri is None:
            uri = self._uris[path] = path_to_uri(path)
        return uri

    def _check(self, index: DesignIndex, facts: DesignFacts) -> tuple[Diagnostic, ...]:
        from codemyspec_lsp.architecture.checks import cross_file_diagnostics

        return cross_file_diagnostics(index.graph(), facts)

    def _store(self, project: Project, uri: str, found: tuple[Diagnostic, ...]) -> bool:
        if self._shown.get(uri, ()) == found:
            return False
        self._shown[uri] = found
        return self._server.diagnostics.put_cross(uri, to_lsp(found, project.docs_base))

    # -- files changed on disk -------------------------------------------------------------------

    async def register_watcher(self) -> None:
        """Ask the client to watch the design files, where it can."""
        capability = self._server.capability(
            "workspace.did_change_watched_files.dynamic_registration"
        )
        if capability:
            try:
                await self._server.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(
                                id=f"codemyspec-designs-{uuid.uuid4()}",
                                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                    watchers=[types.FileSystemWatcher(glob_pattern=WATCH_GLOB)]
                                ),
                            )
                        ]
                    )
                )
                self.watches_files = True
            except Exception:
                logger.info("the client refused to watch files: polling", exc_info=True)
        if not self.watches_files and self._poller is None:
            self._poller = asyncio.create_task(self._poll())

    async def files_changed(self, uris: list[str]) -> None:
        """`workspace/didChangeWatchedFiles`, or the poll: validate and index each again."""
        for uri in uris:
            found = self._server.projects.for_uri(uri)
            if found is None or found[1] == found[0].config_file:
                continue
            await self._server.validator.validate_file(*found)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            for project, index in self.indexes():
                try:
                    await self._poll_once(project, index)
                except Exception:
                    logger.exception("looking for changed designs in %s failed", project.root)

    async def _poll_once(self, project: Project, index: DesignIndex) -> None:
        buffers = {
            path
            for uri in list(self._server.workspace.text_documents)
            if (path := uri_to_path(uri)) is not None
        }
        stamps = index.stamps()
        # A design indexed from a buffer has no stamp: once closed, look at its file again.
        stamps.update({path: (-1, -1) for path, _ in index if path not in stamps})
        changed, gone = await self._server.in_validator(index.changed_on_disk, stamps, buffers)
        if changed or gone:
            await self.files_changed([path_to_uri(p) for p in [*changed, *gone]])

    # -- questions -------------------------------------------------------------------------------

    def graph_of(self, project: Project) -> Any:
        return self.index(project).graph(fresh=True)
