"""Validating design documents off the typing path.

Open documents: at most one validation per document runs at a time, on the validation
thread. Edits arriving meanwhile only mark the document; when the running validation
ends, its result is published only if the document is still at the version it read,
otherwise the newest text is validated at once. So a burst of edits costs one or two
validations, there is no fixed debounce delay, and a stale result is never published.

Closed files (the start-up scan, a session's design file) are read from disk.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from codemyspec_lsp.lsp.diagnostics import Publisher, to_lsp
from codemyspec_lsp.lsp.documents import path_to_uri, uri_to_path

# A validation slower than this (seconds) waits for a pause in typing of up to MAX_QUIET.
# Incremental validation keeps a one-line edit of a 5,000-line design near 10 ms, so only
# a document parsed whole each time (link reference definitions) or a cold one waits; at
# 20 ms one slow validation (a garbage collection) made a whole burst of typing wait.
SLOW_VALIDATION = 0.05
MAX_QUIET = 0.03

if TYPE_CHECKING:
    from collections.abc import Iterable

    from codemyspec_lsp.architecture.facts import DesignFacts
    from codemyspec_lsp.architecture.index import Describer, Stamp
    from codemyspec_lsp.design.validator import ValidationOptions
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer

logger = logging.getLogger(__name__)


# What a validation hands back to the loop: the file's diagnostics in LSP form and its
# facts for the architecture index (both made on the validation thread).
Validated = tuple[tuple[types.Diagnostic, ...], "DesignFacts | None"]


def _validate(
    text: str | bytes, options: ValidationOptions, docs_base: str | None, describe: Describer
) -> Validated:
    # Imported on the validation thread, on first use: keeps start-up short.
    from codemyspec_lsp.design.validator import validate_design

    started = time.perf_counter()
    report = validate_design(text, options)
    items = to_lsp(report.diagnostics, docs_base)
    facts = describe(report)
    logger.debug("validation ran: %d lines in %.1f ms", _lines(text), _ms(started))
    return items, facts


def _validate_open_text(
    editions: dict[str, Any],
    uri: str,
    text: str,
    options: ValidationOptions,
    *,
    docs_base: str | None,
    describe: Describer,
) -> Validated:
    """An open document's new text: re-parses only what changed since its last validation."""
    from codemyspec_lsp.design.incremental import IncrementalValidator

    started = time.perf_counter()
    validator = editions.get(uri)
    if validator is None:
        validator = editions[uri] = IncrementalValidator()
    report = validator.validate(text, options)
    items = to_lsp(report.diagnostics, docs_base)
    facts = describe(report)
    logger.debug(
        "validation ran: %d lines (%d parsed) in %.1f ms",
        _lines(text),
        validator.reparsed_lines,
        _ms(started),
    )
    return items, facts


def _validate_path(
    path: Path, options: ValidationOptions, docs_base: str | None, describe: Describer
) -> tuple[tuple[types.Diagnostic, ...], DesignFacts | None, Stamp | None] | None:
    from codemyspec_lsp.architecture.index import stamp_of

    stamp = stamp_of(path)
    try:
        data = path.read_bytes()
    except OSError:
        return None  # gone: nothing to show
    return (*_validate(data, options, docs_base, describe), stamp)


def _lines(text: str | bytes) -> int:
    if isinstance(text, str):
        return text.count("\n") + 1
    return text.count(b"\n") + 1


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


class DocumentValidator:
    def __init__(self, server: CodeMySpecServer) -> None:
        self._server = server
        self.publisher = Publisher(server)
        self._running: dict[str, asyncio.Task[None]] = {}
        # Open documents revalidated without an edit (settings, sessions): a pull client
        # is not about to ask, so it is asked to pull again.
        self._unrequested: set[str] = set()
        # For documents whose validation is slow: when each last changed, and what its last
        # validation cost (seconds), so a burst of edits waits for a pause (see `_pause`).
        self._changed_at: dict[str, float] = {}
        self._cost: dict[str, float] = {}
        # Per open document, its IncrementalValidator (the parsed chunks of its last text),
        # used only on the validation thread; dropped when the document closes.
        self._editions: dict[str, Any] = {}
        # Counts `revalidate_open` calls (settings, config, sessions changed): a validation
        # that ran across one used the options and the design directory from before it.
        self._generation = 0

    # -- which documents --------------------------------------------------------------------

    def design_target(self, uri: str) -> tuple[Project, Path] | None:
        found = self._server.projects.for_uri(uri)
        if found is None or not found[0].is_design_document(found[1]):
            return None
        return found

    def options_for(self, project: Project, path: Path) -> ValidationOptions:
        """The options `path` is validated with: its project's, with its context module."""
        module = project.context_module(path)
        if module is None:
            return project.options
        return dataclasses.replace(project.options, context_module=module)

    # -- open documents ---------------------------------------------------------------------

    def schedule(self, uri: str, *, unrequested: bool = False) -> None:
        """The document changed (or may now be a design document): validate it soon."""
        if unrequested:
            self._unrequested.add(uri)
        if not self._server.ready.is_set():
            return  # `initialized` validates every open document once folders are known
        found = self._server.projects.for_uri(uri)
        if found is not None and found[1] == found[0].config_file:
            return  # its diagnostic comes from the config check, not from validation
        if self.design_target(uri) is None:
            if self._server.diagnostics.get(uri) is not None:
                self.publisher.clear(uri)
            return
        self._changed_at[uri] = time.monotonic()
        if uri not in self._running:
            self._running[uri] = asyncio.create_task(self._validate_open(uri))

    async def current(self, uri: str) -> None:
        """Make sure the stored diagnostics of an open `uri` are for its current version."""
        document = self._server.workspace.text_documents.get(uri)
        entry = self._server.diagnostics.get(uri)
        if document is not None and (entry is None or entry.version != document.version):
            self.schedule(uri)
        await self.settled(uri)

    def forget(self, project: Project) -> None:
        """A folder left the workspace: its files get no diagnostics any more."""
        for uri in self._server.diagnostics.uris():
            path = uri_to_path(uri)
            if path is not None and project.contains(path):
                self.publisher.clear(uri)

    async def settled(self, uri: str) -> None:
        """Wait until the diagnostics of `uri` match its current version."""
        while (task := self._running.get(uri)) is not None:
            await asyncio.wait({task})

    async def _validate_open(self, uri: str) -> None:
        try:
            while True:
                document = self._server.workspace.text_documents.get(uri)
                target = self.design_target(uri)
                if document is None or target is None:
                    return
                if await self._pause(uri):
                    continue  # edited while waiting: look at the newest text
                version, generation = document.version, self._generation
                options = self.options_for(*target)
                started = time.monotonic()
                validate = functools.partial(
                    _validate_open_text,
                    docs_base=target[0].docs_base,
                    describe=self._server.architecture.describer(*target, version),
                )
                items, facts = await self._server.in_validator(
                    validate, self._editions, uri, document.source, options
                )
                self._cost[uri] = time.monotonic() - started
                current = self._server.workspace.text_documents.get(uri)
                if current is None:
                    self._editions.pop(uri, None)  # the thread may have made it after `closed`
                    return  # closed meanwhile: `closed` takes over
                if current.version != version or self._generation != generation:
                    continue  # superseded by an edit or a reload: validate again
                changed = self._server.diagnostics.put(uri, version, items)
                changed |= self._server.architecture.indexed(*target, uri, facts)
                unrequested = uri in self._unrequested
                self._unrequested.discard(uri)
                self.publisher.publish(uri, changed=changed, unrequested=unrequested)
                return
        except Exception:
            logger.exception("validating %s failed", uri)
        finally:
            self._running.pop(uri, None)

    async def _pause(self, uri: str) -> bool:
        """Before a slow validation, wait briefly for a pause in typing; True if edited.

        A validation cannot be stopped half way, and one started mid-burst only delays the
        one that counts: for a large document, starting a little after the last keystroke
        settles sooner than starting at every keystroke. Small documents never wait.
        """
        cost = self._cost.get(uri, 0.0)
        if cost < SLOW_VALIDATION:
            return False
        quiet = min(cost * 0.4, MAX_QUIET)
        since = time.monotonic() - self._changed_at.get(uri, 0.0)
        if since >= quiet:
            return False
        await asyncio.sleep(quiet - since)
        return time.monotonic() - self._changed_at.get(uri, 0.0) < quiet

    def revalidate_open(self) -> None:
        self._generation += 1
        for uri in list(self._server.workspace.text_documents):
            self.schedule(uri, unrequested=True)

    # -- files on disk ----------------------------------------------------------------------

    async def validate_file(self, project: Project, path: Path) -> None:
        """Validate a file from disk unless the editor has it open (its buffer wins)."""
        uri = path_to_uri(path)
        if uri in self._server.workspace.text_documents:
            self.schedule(uri)
            return
        if not project.is_design_document(path) or not project.may_read(path):
            if self._server.diagnostics.get(uri) is not None:
                self.publisher.clear(uri)
            return
        read = await self._server.in_validator(
            _validate_path,
            path,
            self.options_for(project, path),
            project.docs_base,
            self._server.architecture.describer(project, path, None),
        )
        if uri in self._server.workspace.text_documents:
            return  # opened meanwhile: the buffer's validation is the one that counts
        if read is None:
            self._server.architecture.removed(project, path)
            if self._server.diagnostics.get(uri) is not None:
                self.publisher.clear(uri)
            return
        items, facts, stamp = read
        changed = self._server.diagnostics.put(uri, None, items)
        changed |= self._server.architecture.indexed(project, path, uri, facts, stamp=stamp)
        self.publisher.publish(uri, changed=changed, unrequested=True)

    def closed(self, uri: str) -> None:
        self._changed_at.pop(uri, None)
        self._cost.pop(uri, None)
        self._editions.pop(uri, None)
        found = self._server.projects.for_uri(uri)
        if found is None or self._server.diagnostics.get(uri) is None:
            return
        task = asyncio.create_task(self.validate_file(*found))
        task.add_done_callback(_log_failure)

    async def scan(self, projects: Iterable[Project]) -> None:
        """Validate every design of these folders, with work-done progress; each file once
        no command is running (a command never waits for the scan)."""
        projects = list(projects)
        files: list[tuple[Project, Path]] = []
        for project in projects:
            paths = await self._server.in_validator(project.design_files)
            files.extend((project, path) for path in paths)
            await self._forget_outside(project, {path_to_uri(p) for p in paths})
        progress = await self._begin_progress(len(files))
        try:
            with self._server.architecture.batch():
                for done, (project, path) in enumerate(files, start=1):
                    await self._server.commands_idle.wait()
                    await self.validate_file(project, path)
                    if progress and (done % 10 == 0 or done == len(files)):
                        self._server.work_done_progress.report(
                            progress,
                            types.WorkDoneProgressReport(
                                message=f"{done}/{len(files)}",
                                percentage=done * 100 // max(len(files), 1),
                            ),
                        )
        finally:
            if progress:
                self._server.work_done_progress.end(
                    progress, types.WorkDoneProgressEnd(message=f"{len(files)} designs validated")
                )
        logger.info("validated %d design(s) in %d folder(s)", len(files), len(projects))

    async def _forget_outside(self, project: Project, scanned: set[str]) -> None:
        """Clear closed files that are no longer design documents (the config changed)."""
        for uri in self._server.diagnostics.uris():
            found = self._server.projects.for_uri(uri)
            if found is None or found[0] is not project or uri in scanned:
                continue
            if found[1] == project.config_file:
                continue  # reported by lsp/config.py, not a design
            if uri in self._server.workspace.text_documents:
                self.schedule(uri)
            elif not project.is_design_document(found[1]):
                self.publisher.clear(uri)

    async def _begin_progress(self, total: int) -> str | None:
        if not self._server.shows_progress:
            return None
        token = f"codemyspec-scan-{uuid.uuid4()}"
        try:
            await self._server.work_done_progress.create_async(token)
        except Exception:  # the client refused: validate without showing progress
            logger.debug("no work-done progress", exc_info=True)
            return None
        self._server.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title="CodeMySpec: validating designs", message=f"0/{total}", percentage=0
            ),
        )
        return token


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("background validation failed", exc_info=task.exception())
