"""`codemyspec/sessionChanged`: every change of a session, whoever made it.

Each folder's store is polled (a cheap stamp, then only the sessions changed since the
last look) every half second, so a change made by another server process on the same
workspace is seen well within two seconds. A store on PostgreSQL hears of changes by
LISTEN/NOTIFY and wakes the watcher at once; its stamp is kept in memory, so the poll
never queries the database. Commands sync at once after they change something, so the
notification of the server's own change arrives before its response.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemyspec_lsp import protocol
from codemyspec_lsp.lsp.projects import SessionRef
from codemyspec_lsp.session.errors import CodeMySpecError

if TYPE_CHECKING:
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.5


def _read_changes(project: Project) -> tuple[list[dict[str, Any]], bool]:
    """Store thread: the summaries that changed since the last look, and whether the set
    of active sessions' design files changed. The first look is the baseline: what the
    store already holds is not a change."""
    # The stamp is read first: a write landing in between is reported now and possibly
    # again at the next look, never missed.
    stamp = project.service.store_stamp()
    if stamp == project.stamp:
        return [], False
    baseline = project.stamp is None
    sessions = (
        project.service.list_sessions()
        if project.stamp is None
        else project.service.sessions_changed_since(project.stamp)
    )
    for session in sessions:
        context = session.context
        project.sessions[session.id] = SessionRef(
            context.module, context.design_file, session.status == "active"
        )
    files = frozenset(
        project.root / Path(ref.design_file) for ref in project.sessions.values() if ref.active
    )
    files_changed = files != project.session_files
    project.stamp, project.session_files = stamp, files
    return ([] if baseline else [s.summary() for s in sessions]), files_changed


class SessionWatcher:
    def __init__(self, server: CodeMySpecServer) -> None:
        self._server = server
        self._task: asyncio.Task[None] | None = None
        self._failing: set[str] = set()  # folders whose store failed: log once
        self._wake = asyncio.Event()  # set by a store that announces changes

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
            self._wake.clear()
            for project in self._server.projects:
                await self.sync(project)

    async def baseline(self, project: Project) -> None:
        """Remember what the store holds now: existing sessions are not changes."""
        loop = asyncio.get_running_loop()

        def wake() -> None:
            loop.call_soon_threadsafe(self._wake.set)

        try:
            await self._server.in_store(project.service.watch_store, wake)
            await self._server.in_store(_read_changes, project)
        except CodeMySpecError as error:
            logger.warning("%s: %s", project.root, error.message)

    async def sync(self, project: Project) -> None:
        try:
            changed, files_changed = await self._server.in_store(_read_changes, project)
        except CodeMySpecError as error:
            if project.uri not in self._failing:
                logger.warning("%s: %s", project.root, error.message)
            self._failing.add(project.uri)
            return
        except Exception:
            logger.exception("watching the sessions of %s failed", project.root)
            return
        self._failing.discard(project.uri)
        for summary in changed:
            self._server.protocol.notify(protocol.SESSION_CHANGED, {"session": summary})
        if files_changed:
            # A session now names a file outside the design dir, or no longer does.
            self._server.validator.revalidate_open()
