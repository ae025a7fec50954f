"""The step progression, row for row the table of ``protocol.md`` ("Step progression").

Pure data and pure functions over a session's interactions: no I/O, no clock. "Latest"
always means highest ``seq``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from codemyspec_lsp.agents.failures import failure_of
from codemyspec_lsp.protocol import DoneStatus, ResultStatus, StepName
from codemyspec_lsp.session.models import Interaction, Session

RETRY: Final = "retry"  # the same step again
SUCCESS: Final = "success"  # done: success
Next = StepName | Literal["retry", "success"]

OK: Final[tuple[ResultStatus, ...]] = ("ok", "warning")
ERROR: Final[tuple[ResultStatus, ...]] = ("error",)
ANY_STEP: Final = "*"


@dataclass(frozen=True)
class Row:
    step: StepName | Literal["*"] | None  # the latest completed step; None: nothing yet
    statuses: tuple[ResultStatus, ...]
    next: Next


# Read top to bottom; the first matching row wins.
PROGRESSION: Final[tuple[Row, ...]] = (
    Row(None, (), "initialize"),
    Row("initialize", OK, "generate_context_design"),
    Row("generate_context_design", OK, "validate_design"),
    Row("validate_design", OK, "finalize"),
    Row("validate_design", ERROR, "revise_design"),
    Row("revise_design", OK, "validate_design"),
    Row("finalize", OK, SUCCESS),
    Row(ANY_STEP, ERROR, RETRY),
)


@dataclass(frozen=True)
class Limits:
    """``workflow.max_attempts`` and ``workflow.max_revisions`` of the workspace config."""

    max_attempts: int = 3
    max_revisions: int = 3


@dataclass(frozen=True)
class RunStep:
    step: StepName
    retry: bool = False


@dataclass(frozen=True)
class Done:
    status: DoneStatus
    reason: str


@dataclass(frozen=True)
class Pending:
    """The latest interaction still waits for its result: hand it out again."""

    interaction: Interaction


Decision = RunStep | Done | Pending


def lookup(step: StepName | None, status: ResultStatus | None) -> Next:
    for row in PROGRESSION:
        if row.step is None and step is None:
            return row.next
        if row.step in (step, ANY_STEP) and status in row.statuses:
            return row.next
    raise LookupError(f"no progression row for {step} / {status}")  # unreachable by the table


def ordered(session: Session) -> list[Interaction]:
    return sorted(session.interactions, key=lambda interaction: interaction.seq)


def latest_interaction(session: Session) -> Interaction | None:
    interactions = ordered(session)
    return interactions[-1] if interactions else None


def get_latest_completed_step(session: Session) -> tuple[StepName, ResultStatus] | None:
    for interaction in reversed(ordered(session)):
        if interaction.result is not None:
            return interaction.step, interaction.result.status
    return None


def failures_in_a_row(session: Session) -> int:
    """How many times the latest completed step has failed in a row, counting back by seq."""
    completed = [i for i in ordered(session) if i.result is not None]
    if not completed:
        return 0
    step = completed[-1].step
    count = 0
    for interaction in reversed(completed):
        assert interaction.result is not None
        if interaction.step != step or interaction.result.status != "error":
            break
        count += 1
    return count


def revisions_done(session: Session) -> int:
    return sum(
        1
        for i in session.interactions
        if i.step == "revise_design" and i.result is not None and i.result.status in OK
    )


def fatal_failure(session: Session) -> str | None:
    """The reason of an agent failure that retrying cannot mend (``agents.failures``)."""
    completed = [i for i in ordered(session) if i.result is not None]
    if not completed:
        return None
    result = completed[-1].result
    assert result is not None
    failure = failure_of(result.data)
    return failure.message if failure is not None and failure.fatal else None


def determine_next_from_interactions(session: Session, limits: Limits) -> RunStep | Done:
    """The next step from the completed interactions alone (pending ones are not looked at)."""
    latest = get_latest_completed_step(session)
    step, status = latest if latest is not None else (None, None)
    following = lookup(step, status)
    if following == SUCCESS:
        return Done("success", "finalize succeeded")
    if following == RETRY:
        assert step is not None
        fatal = fatal_failure(session)
        if fatal is not None:
            return Done("failed", fatal)
        failures = failures_in_a_row(session)
        if failures >= limits.max_attempts:
            return Done("failed", f"{step} failed {failures} times in a row")
        return RunStep(step, retry=True)
    if step == "validate_design" and following == "revise_design":
        revisions = revisions_done(session)
        if revisions >= limits.max_revisions:
            return Done("failed", f"the design still has errors after {revisions} revision(s)")
    return RunStep(following)


def decide(session: Session, limits: Limits) -> Decision:
    """What ``nextStep`` answers for ``session``."""
    if session.status == "complete":
        return Done("success", "the session is complete")
    if session.status == "failed":
        return Done("failed", "the session has failed")
    if session.status == "cancelled":
        return Done("cancelled", "the session was cancelled")
    latest = latest_interaction(session)
    if latest is not None and latest.result is None:
        return Pending(latest)
    return determine_next_from_interactions(session, limits)
