"""The protocol's data shapes (``protocol.md``) as pydantic models, camelCase on the wire.

``dump`` gives the exact JSON a client receives. Params models forbid unknown fields so a
typo in a client is a clear -32602 rather than a silently ignored option.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from codemyspec_lsp.protocol import (
    CommandKind,
    DoneStatus,
    Environment,
    ExecutionMode,
    ResultStatus,
    SessionStatus,
    SessionType,
    StepName,
)

MAX_TEXT = 10_000_000  # bytes of stdout/stderr/stdin kept per result: bounds hostile input


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class WireModel(BaseModel):
    """camelCase JSON, snake_case Python; unknown fields are ignored when reading stored data."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    def dump(self, **kwargs: Any) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, **kwargs)


class ParamsModel(WireModel):
    """Request parameters: strict about unknown fields."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# -- commands and results -------------------------------------------------------------------


class Command(WireModel):
    id: str
    step: StepName
    kind: CommandKind
    argv: list[str] = Field(default_factory=list)
    cwd: str
    stdin: str | None = None
    env: dict[str, str] = Field(default_factory=dict)
    timeout_ms: int = 600_000
    description: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    timestamp: datetime = Field(default_factory=utc_now)


class ResultInput(ParamsModel):
    status: ResultStatus
    code: int | None = None
    stdout: Annotated[str, Field(max_length=MAX_TEXT)] | None = None
    stderr: Annotated[str, Field(max_length=MAX_TEXT)] | None = None
    error_message: Annotated[str, Field(max_length=MAX_TEXT)] | None = None
    duration_ms: Annotated[int, Field(ge=0)] | None = None
    data: dict[str, Any] | None = None


class Result(ResultInput):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    timestamp: datetime = Field(default_factory=utc_now)


class Interaction(WireModel):
    id: str
    seq: int
    step: StepName
    command: Command
    result: Result | None = None
    completed_at: datetime | None = None

    @property
    def completed(self) -> bool:
        return self.result is not None


# -- sessions ---------------------------------------------------------------------------------


class SessionContext(WireModel):
    name: str
    module: str
    design_file: str  # relative to the workspace root, POSIX separators
    description: str | None = None


class Session(WireModel):
    id: str
    type: SessionType = "context_design"
    context: SessionContext
    status: SessionStatus = "active"
    environment: Environment = "local"
    execution_mode: ExecutionMode = "manual"
    state: dict[str, Any] = Field(default_factory=dict)
    interactions: list[Interaction] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    def summary(self) -> dict[str, Any]:
        """The session as ``listSessions`` and ``sessionChanged`` send it: no interactions."""
        return self.dump(exclude={"interactions"})


class CommandStep(WireModel):
    kind: Literal["command"] = "command"
    session_id: str
    interaction_id: str
    step: StepName
    command: Command


class DoneStep(WireModel):
    kind: Literal["done"] = "done"
    session_id: str
    status: DoneStatus


NextStep = CommandStep | DoneStep


# -- request params -----------------------------------------------------------------------------

Text = Annotated[str, Field(max_length=100_000)]
Id = Annotated[str, Field(min_length=1, max_length=200)]


class StartSessionParams(ParamsModel):
    context: Annotated[str, Field(min_length=1, max_length=255)]
    description: Text | None = None
    type: SessionType = "context_design"
    environment: Environment = "local"
    execution_mode: ExecutionMode = "manual"
    workspace_uri: Annotated[str, Field(max_length=4096)] | None = None


class SessionIdParams(ParamsModel):
    session_id: Id


class NextStepParams(SessionIdParams):
    pass


class GetSessionParams(SessionIdParams):
    pass


class CancelSessionParams(SessionIdParams):
    pass


class ReportResultParams(ParamsModel):
    session_id: Id
    interaction_id: Id
    result: ResultInput


class CheckContextParams(ParamsModel):
    # Any text: a refused name is answered with valid=false and the reason, not an error.
    context: Annotated[str, Field(max_length=4096)]
    workspace_uri: Annotated[str, Field(max_length=4096)] | None = None


class ListSessionsParams(ParamsModel):
    status: SessionStatus | None = None
    workspace_uri: Annotated[str, Field(max_length=4096)] | None = None


class GetGraphParams(ParamsModel):
    workspace_uri: Annotated[str, Field(max_length=4096)] | None = None


# -- the caller's scope -------------------------------------------------------------------------


class Scope(BaseModel):
    """Who asks and where: the workspace folder, its project name and the user (if known)."""

    model_config = ConfigDict(frozen=True)

    root: Path
    project: str
    user: str | None = None
