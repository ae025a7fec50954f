"""The stateless orchestrator (``seed-orchestrator.md``): all state is the session record.

``next_step`` and ``process_result`` are pure functions from a session to a changed
session (the steps they call read workspace inputs, but nothing here writes anything).
Persistence goes through a repository's ``update(id, change)``: ``advance`` and
``handle_interaction_result`` hand it change functions, so every change is one
read-modify-write of the freshest record and a change that raises stores nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from codemyspec_lsp.protocol import DoneStatus, SessionStatus
from codemyspec_lsp.session.errors import (
    DuplicateResult,
    InteractionNotFound,
    SessionNotActive,
)
from codemyspec_lsp.session.models import (
    CommandStep,
    DoneStep,
    Interaction,
    NextStep,
    Result,
    ResultInput,
    Session,
    utc_now,
)
from codemyspec_lsp.session.progression import (
    Done,
    Pending,
    decide,
    determine_next_from_interactions,
    get_latest_completed_step,
    latest_interaction,
)
from codemyspec_lsp.session.steps.base import StepContext
from codemyspec_lsp.session.steps.registry import get_step

__all__ = [
    "advance",
    "cancel",
    "determine_next_from_interactions",
    "get_latest_completed_step",
    "handle_interaction_result",
    "next_step",
    "process_result",
]

FINAL_STATUS: dict[DoneStatus, SessionStatus] = {
    "success": "complete",
    "failed": "failed",
    "cancelled": "cancelled",
}


class Repository(Protocol):
    """The part of ``SessionRepository`` the orchestrator needs."""

    def get(self, session_id: str) -> Session: ...

    def update(self, session_id: str, change: Callable[[Session], Session]) -> Session: ...


def next_step(ctx: StepContext, session: Session) -> tuple[Session, NextStep]:
    """The session with the next interaction added (if any) and what ``nextStep`` answers.

    A pending interaction is answered again, never duplicated; a session that is over
    answers done (and is marked so, should its status still say active).
    """
    decision = decide(session, ctx.limits)
    if isinstance(decision, Pending):
        return session, _command_step(session, decision.interaction)
    if isinstance(decision, Done):
        return _finish(session, decision), DoneStep(session_id=session.id, status=decision.status)
    command = get_step(decision.step).command(ctx, session)
    latest = latest_interaction(session)
    interaction = Interaction(
        id=uuid.uuid4().hex,
        seq=(latest.seq if latest else 0) + 1,
        step=decision.step,
        command=command,
    )
    changed = session.model_copy(
        update={"interactions": [*session.interactions, interaction], "updated_at": utc_now()}
    )
    return changed, _command_step(changed, interaction)


def process_result(
    ctx: StepContext, session: Session, interaction_id: str, result: ResultInput
) -> Session:
    """The session with ``result`` stored on its interaction and interpreted by the step.

    Refuses (raising, so a repository stores nothing) a result for an unknown interaction,
    a second result for one interaction, and any result for a session that is not active.
    The session becomes complete or failed here when this result decides it.
    """
    interaction = next((i for i in session.interactions if i.id == interaction_id), None)
    if interaction is None:
        raise InteractionNotFound(session.id, interaction_id)
    if interaction.result is not None:
        raise DuplicateResult(interaction_id)
    if session.status != "active":
        raise SessionNotActive(session.id, session.status)
    now = utc_now()
    stored = Result.model_validate({**result.model_dump(), "timestamp": now})
    completed = [
        i.model_copy(update={"result": stored, "completed_at": now})
        if i.id == interaction_id
        else i
        for i in session.interactions
    ]
    changed = session.model_copy(update={"interactions": completed, "updated_at": now})
    changed = get_step(interaction.step).handle_result(ctx, changed, stored)
    decision = determine_next_from_interactions(changed, ctx.limits)
    if isinstance(decision, Done):
        changed = _finish(changed, decision)
    return changed


def cancel(session: Session) -> Session:
    """Cancelled from active; cancelling twice is harmless; a finished session is refused."""
    if session.status == "cancelled":
        return session
    if session.status != "active":
        raise SessionNotActive(session.id, session.status)
    return _finish(session, Done("cancelled", "cancelled by the user"))


def advance(ctx: StepContext, repository: Repository, session_id: str) -> NextStep:
    """``nextStep`` against a repository.

    The command is built from a snapshot outside the repository's lock (building the
    generate prompt reads many files); it is stored only if the freshest record still
    stands where the snapshot stood, else the decision is taken again on the fresh one.
    """
    snapshot = repository.get(session_id)
    proposed, answer = next_step(ctx, snapshot)
    if proposed is snapshot:
        return answer
    answers: list[NextStep] = []

    def change(fresh: Session) -> Session:
        answers.clear()
        if _same_position(fresh, snapshot):
            added = proposed.interactions[len(snapshot.interactions) :]
            answers.append(answer)
            return fresh.model_copy(
                update={
                    "interactions": [*fresh.interactions, *added],
                    "status": proposed.status,
                    "state": {**fresh.state, **_state_delta(snapshot, proposed)},
                    "updated_at": proposed.updated_at,
                }
            )
        changed, fresh_answer = next_step(ctx, fresh)
        answers.append(fresh_answer)
        return changed

    repository.update(session_id, change)
    return answers[-1]


def handle_interaction_result(
    ctx: StepContext,
    repository: Repository,
    session_id: str,
    interaction_id: str,
    result: ResultInput,
) -> Session:
    return repository.update(
        session_id, lambda session: process_result(ctx, session, interaction_id, result)
    )


def _command_step(session: Session, interaction: Interaction) -> CommandStep:
    return CommandStep(
        session_id=session.id,
        interaction_id=interaction.id,
        step=interaction.step,
        command=interaction.command,
    )


def _finish(session: Session, decision: Done) -> Session:
    status = FINAL_STATUS[decision.status]
    if session.status == status:
        return session
    state = {**session.state, "outcome": {"status": decision.status, "reason": decision.reason}}
    return session.model_copy(update={"status": status, "state": state, "updated_at": utc_now()})


def _same_position(a: Session, b: Session) -> bool:
    def shape(s: Session) -> tuple[object, ...]:
        return s.status, tuple((i.id, i.result is not None) for i in s.interactions)

    return shape(a) == shape(b)


def _state_delta(before: Session, after: Session) -> dict[str, object]:
    return {k: v for k, v in after.state.items() if before.state.get(k) != v}
