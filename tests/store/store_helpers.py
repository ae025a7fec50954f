"""Building sessions and interactions for the store tests (also imported by writer.py)."""

from __future__ import annotations

import time

from codemyspec_lsp.session.models import (
    Command,
    Interaction,
    Result,
    Session,
    SessionContext,
)


def new_session(session_id: str, **fields: object) -> Session:
    context = SessionContext(name="Accounts", module="Shop.Accounts", design_file="docs/a.md")
    return Session(id=session_id, context=context, **fields)  # type: ignore[arg-type]


def agent_interaction(seq: int, prompt: str) -> Interaction:
    command = Command(
        id=f"c{seq}",
        step="generate_context_design",
        kind="agent",
        argv=["agent"],
        cwd="/workspace",
        stdin=prompt,
        description="write the design",
        metadata={"prompt": prompt, "designFile": "docs/a.md"},
    )
    return Interaction(id=f"i{seq}", seq=seq, step="generate_context_design", command=command)


def append_interaction(prompt: str):
    def change(session: Session) -> Session:
        session.interactions.append(agent_interaction(len(session.interactions) + 1, prompt))
        return session

    return change


def set_last_result(stdout: str):
    def change(session: Session) -> Session:
        session.interactions[-1].result = Result(status="ok", code=0, stdout=stdout, stderr="")
        return session

    return change


def append_to_state(key: str, item: str):
    def change(session: Session) -> Session:
        session.state[key] = [*session.state.get(key, []), item]
        return session

    return change


def stamp_after(repo, stamp: int, timeout: float = 5.0) -> int:
    """The stamp once it moved past ``stamp`` (PostgreSQL hears of changes by NOTIFY)."""
    deadline = time.monotonic() + timeout
    while (now := repo.stamp()) <= stamp and time.monotonic() < deadline:
        time.sleep(0.01)
    return now


def failing_change(prompt: str):
    """A change that mutates what it was given, then fails: nothing may be stored."""

    def change(session: Session) -> Session:
        session.state["items"].append("b")
        append_interaction(prompt)(session)
        raise RuntimeError("the step failed")

    return change
