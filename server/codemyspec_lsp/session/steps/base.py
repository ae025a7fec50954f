"""What every step shares: the :class:`Step` protocol and the :class:`StepContext` it gets.

A step builds the command for the client (``command``) and interprets the result the
client reports (``handle_result``). When ``handle_result`` runs, the orchestrator has
already stored the result on the session's latest interaction (the only one that can be
pending); a step may replace it with :func:`replace_latest_result`.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from codemyspec_lsp import protocol
from codemyspec_lsp.agents.argv import AgentSpec, agent_spec
from codemyspec_lsp.design.options import ValidationOptions
from codemyspec_lsp.protocol import CommandKind, StepName
from codemyspec_lsp.session.models import Command, Result, Scope, Session
from codemyspec_lsp.session.progression import Limits, latest_interaction
from codemyspec_lsp.workspace.config import WorkspaceConfig
from codemyspec_lsp.workspace.paths import contained, kebab_case

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationReport

BRANCH_PREFIX = "docs-context-design-session-for-"


def _no_document(path: Path) -> str | None:
    return None


def _ignore_report(path: Path, report: ValidationReport) -> None:
    return None


@dataclass(frozen=True)
class StepContext:
    """Everything a step may consult besides the session itself."""

    scope: Scope
    config: WorkspaceConfig
    python: str = sys.executable
    # The editor's text of an open document, or None to read the disk.
    open_document: Callable[[Path], str | None] = _no_document
    # Told about every validation a validate_design result triggers (for diagnostics).
    on_validated: Callable[[Path, ValidationReport], None] = field(default=_ignore_report)

    @property
    def root(self) -> Path:
        return self.scope.root

    @property
    def limits(self) -> Limits:
        workflow = self.config.workflow
        return Limits(workflow.max_attempts, workflow.max_revisions)

    def agent(self) -> AgentSpec:
        """The agent this workspace's config selects (a preset, or the custom command)."""
        return agent_spec(self.config.agent, python=self.python, root=self.root)

    def design_path(self, session: Session) -> Path:
        """The session's design file, absolute; refused if it lies outside the workspace.

        Checked against the workspace, not the design dir: a session started before the
        design dir setting changed keeps its file (``start_session`` checked the dir).
        """
        return contained(self.root, ".", PurePosixPath(session.context.design_file))

    def validation_options(self, session: Session | None = None) -> ValidationOptions:
        return self.config.validation_options(
            session.context.module if session is not None else None
        )

    def placeholders(self, session: Session) -> dict[str, str]:
        return {
            "design_file": session.context.design_file,
            "branch": branch_name(session),
            "context": session.context.module,
            "python": self.python,
        }

    def new_command(
        self,
        step: StepName,
        kind: CommandKind,
        description: str,
        *,
        argv: list[str] | None = None,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        timeout_ms: int = 600_000,
        metadata: dict[str, Any] | None = None,
    ) -> Command:
        return Command(
            id=uuid.uuid4().hex,
            step=step,
            kind=kind,
            argv=argv or [],
            cwd=str(self.root.resolve()),
            stdin=stdin,
            env=env or {},
            timeout_ms=timeout_ms,
            description=description,
            metadata=metadata or {},
        )

    def agent_env(self, step: StepName, session: Session) -> dict[str, str]:
        return {
            protocol.ENV_STEP: step,
            protocol.ENV_DESIGN_FILE: str(self.design_path(session)),
            protocol.ENV_CONTEXT_MODULE: session.context.module,
            protocol.ENV_SESSION_ID: session.id,
        }


class Step(Protocol):
    name: StepName

    def command(self, ctx: StepContext, session: Session) -> Command: ...

    def handle_result(self, ctx: StepContext, session: Session, result: Result) -> Session: ...


def branch_name(session: Session) -> str:
    return BRANCH_PREFIX + kebab_case(session.context.name)


def replace_latest_result(session: Session, result: Result) -> Session:
    latest = latest_interaction(session)
    assert latest is not None and latest.result is not None, "only after a stored result"
    interactions = [
        i.model_copy(update={"result": result}) if i.id == latest.id else i
        for i in session.interactions
    ]
    return session.model_copy(update={"interactions": interactions})


class PassThrough:
    """``handle_result`` for steps whose result needs no interpretation."""

    def handle_result(self, ctx: StepContext, session: Session, result: Result) -> Session:
        return session
