"""Sessions built from a list of (step, status) pairs, for progression tests."""

from __future__ import annotations

from codemyspec_lsp.protocol import ResultStatus, StepName
from codemyspec_lsp.session.models import (
    Command,
    Interaction,
    Result,
    Session,
    SessionContext,
)


def interaction(seq: int, step: StepName, status: ResultStatus | None) -> Interaction:
    return Interaction(
        id=f"i{seq}",
        seq=seq,
        step=step,
        command=Command(id=f"c{seq}", step=step, kind="noop", cwd="/", description=step),
        result=None if status is None else Result(status=status),
    )


def session_with(*history: tuple[StepName, ResultStatus | None]) -> Session:
    return Session(
        id="s1",
        context=SessionContext(
            name="Accounts", module="Shop.Accounts", design_file="docs/design/shop/accounts.md"
        ),
        interactions=[interaction(n, step, status) for n, (step, status) in enumerate(history, 1)],
    )
