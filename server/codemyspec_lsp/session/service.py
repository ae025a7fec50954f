"""SessionService: the facade the server, the CLI and tests call (``docs/architecture.md``).

One service per workspace folder. It owns the workspace's config and its store, builds
the step context, and leaves every decision to the orchestrator. Every method raises only
``CodeMySpecError`` subclasses.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar

from codemyspec_lsp.design.options import ValidationOptions
from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session import orchestrator
from codemyspec_lsp.session.context_check import ContextCheck, check_context
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.session.models import (
    NextStep,
    ResultInput,
    Scope,
    Session,
    SessionContext,
    StartSessionParams,
)
from codemyspec_lsp.session.steps.base import StepContext
from codemyspec_lsp.store.repository import PruneReport, SessionRepository
from codemyspec_lsp.workspace.config import (
    CONFIG_PATH,
    ConfigOverrides,
    ConfigProblem,
    WorkspaceConfig,
    load_config,
)
from codemyspec_lsp.workspace.paths import contained, resolve_context

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationReport

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class ReportOutcome:
    session: Session
    # Set when a validate_design result was handled: the file and what the validator said,
    # so the server can publish the diagnostics.
    validated: tuple[Path, ValidationReport] | None


def _no_document(path: Path) -> str | None:
    return None


class SessionService:
    def __init__(
        self,
        root: Path,
        *,
        overrides: ConfigOverrides | None = None,
        open_document: Callable[[Path], str | None] = _no_document,
        python: str = sys.executable,
        repository: SessionRepository | None = None,
    ) -> None:
        self.root = root.resolve()
        self._open_document = open_document
        self._python = python
        self._repository = repository
        self._opened_for: tuple[str | None, str] | None = None  # the store we opened, if any
        self._on_store_change: Callable[[], None] | None = None
        self._active_files: tuple[int, frozenset[Path]] | None = None
        self.config: WorkspaceConfig
        self.config_problem: ConfigProblem | None
        self.reload(overrides)

    # -- configuration ----------------------------------------------------------------------

    def reload(self, overrides: ConfigOverrides | None = None) -> None:
        """Read the config file again and apply the editor's settings.

        An editor setting that is invalid is dropped and reported as the config problem
        (unless the file itself has one), like an invalid file.
        """
        config, problem = load_config(self.root)
        if overrides is not None:
            try:
                config = overrides.apply(config)
            except ValueError as exc:
                problem = problem or ConfigProblem(
                    self.root / CONFIG_PATH, f"editor setting codemyspec: {exc}", None
                )
        self.config, self.config_problem = config, problem
        if problem is not None:
            log.warning("%s", problem.message)

    def validation_options(self) -> ValidationOptions:
        return self._context().validation_options()

    def design_dir(self) -> Path:
        return self.root / self.config.design.dir

    def is_design_document(self, path: Path) -> bool:
        """Markdown under the design dir, or the design file of an active session."""
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return False
        if resolved.suffix.lower() == ".md" and resolved.is_relative_to(
            self.design_dir().resolve()
        ):
            return True
        try:
            return resolved in self._active_design_files()
        except CodeMySpecError:
            return False  # an unreadable store must not break diagnostics

    def store_stamp(self) -> int:
        return self._store().stamp()

    def watch_store(self, callback: Callable[[], None]) -> None:
        """``callback()`` (from any thread) as soon as a store that announces changes (the
        PostgreSQL store: LISTEN/NOTIFY) hears of one; stores that do not are polled."""
        self._on_store_change = callback
        self._listen(self._store())

    def _listen(self, store: SessionRepository) -> None:
        listen = getattr(store, "listen", None)
        if listen is not None and self._on_store_change is not None:
            listen(self._on_store_change)

    def sessions_changed_since(self, stamp: int) -> list[Session]:
        """Summaries of the sessions any process changed after `stamp`, oldest change first."""
        return self._guard(lambda: self._store().changed_since(stamp))

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, params: StartSessionParams) -> Session:
        target = resolve_context(params.context, self.config.project_module, self.config.design.dir)
        contained(self.root, self.config.design.dir, target.design_file)
        session = Session(
            id=uuid.uuid4().hex,
            type=params.type,
            context=SessionContext(
                name=target.name,
                module=target.module,
                design_file=target.design_file.as_posix(),
                description=params.description,
            ),
            environment=params.environment,
            execution_mode=params.execution_mode,
        )
        return self._guard(lambda: self._store().create(session))

    def next_step(self, session_id: str) -> NextStep:
        return self._guard(lambda: orchestrator.advance(self._context(), self._store(), session_id))

    def report_result(
        self, session_id: str, interaction_id: str, result: ResultInput
    ) -> ReportOutcome:
        validated: list[tuple[Path, ValidationReport]] = []

        def remember(path: Path, report: ValidationReport) -> None:
            validated[:] = [(path, report)]  # a retried change keeps only the last one

        ctx = self._context(on_validated=remember)
        session = self._guard(
            lambda: orchestrator.handle_interaction_result(
                ctx, self._store(), session_id, interaction_id, result
            )
        )
        return ReportOutcome(session, validated[-1] if validated else None)

    def get_session(self, session_id: str) -> Session:
        return self._guard(lambda: self._store().get(session_id))

    def list_sessions(self, status: SessionStatus | None = None) -> list[Session]:
        return self._guard(lambda: self._store().list(status))

    def cancel_session(self, session_id: str) -> Session:
        return self._guard(lambda: self._store().update(session_id, orchestrator.cancel))

    def check_context(self, context: str) -> ContextCheck:
        """What starting a session for ``context`` would do (``codemyspec/checkContext``)."""
        return self._guard(
            lambda: check_context(
                context, self.root, self.config, self._document, lambda: self._store().list()
            )
        )

    def prune_sessions(
        self,
        statuses: Collection[SessionStatus],
        updated_before: datetime | None,
        *,
        dry_run: bool = False,
    ) -> PruneReport:
        """Delete finished sessions and the stored texts only they used (never active ones)."""
        return self._guard(lambda: self._store().prune(statuses, updated_before, dry_run=dry_run))

    # -- internals -----------------------------------------------------------------------------

    def _context(
        self, on_validated: Callable[[Path, ValidationReport], None] | None = None
    ) -> StepContext:
        ctx = StepContext(
            scope=Scope(root=self.root, project=self.config.project_name),
            config=self.config,
            python=self._python,
            open_document=self._document,
        )
        return ctx if on_validated is None else replace(ctx, on_validated=on_validated)

    def _document(self, path: Path) -> str | None:
        try:
            return self._open_document(path)
        except Exception:  # the editor's callback must not sink a session
            log.exception("open_document failed for %s; reading the disk", path)
            return None

    def _store(self) -> SessionRepository:
        # Imported here so the engine can be used with another repository (tests).
        from codemyspec_lsp.store import open_repository, store_url  # noqa: PLC0415

        wanted = (store_url(self.config), self.config.store_project)
        if self._repository is None or (self._opened_for and self._opened_for != wanted):
            # First use, or the config now names another store: open that one.
            self._repository = open_repository(self.root, self.config)
            self._opened_for = wanted
            self._active_files = None
            self._listen(self._repository)
        return self._repository

    def _active_design_files(self) -> frozenset[Path]:
        store = self._store()
        stamp = store.stamp()
        if self._active_files is None or self._active_files[0] != stamp:
            files = frozenset(
                (self.root / PurePosixPath(s.context.design_file)).resolve()
                for s in store.list("active")
            )
            self._active_files = (stamp, files)
        return self._active_files[1]

    def _guard(self, call: Callable[[], T]) -> T:
        """Let typed errors through; turn a bug into a typed internal error, logged."""
        try:
            return call()
        except CodeMySpecError:
            raise
        except Exception as exc:
            log.exception("internal error in the session service")
            raise CodeMySpecError(f"internal error: {type(exc).__name__}: {exc}") from exc
