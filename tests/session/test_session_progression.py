"""The step progression table of protocol.md, row for row, and its two budgets."""

from __future__ import annotations

import pytest
from session_builders import session_with

from codemyspec_lsp.session.progression import (
    Done,
    Limits,
    Pending,
    RunStep,
    decide,
    determine_next_from_interactions,
    get_latest_completed_step,
)

LIMITS = Limits(max_attempts=3, max_revisions=3)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], RunStep("initialize")),
        ([("initialize", "ok")], RunStep("generate_context_design")),
        ([("initialize", "warning")], RunStep("generate_context_design")),
        ([("generate_context_design", "ok")], RunStep("validate_design")),
        ([("generate_context_design", "warning")], RunStep("validate_design")),
        ([("validate_design", "ok")], RunStep("finalize")),
        ([("validate_design", "warning")], RunStep("finalize")),
        ([("validate_design", "error")], RunStep("revise_design")),
        ([("revise_design", "ok")], RunStep("validate_design")),
        ([("revise_design", "warning")], RunStep("validate_design")),
        ([("finalize", "ok")], Done("success", "finalize succeeded")),
        ([("finalize", "warning")], Done("success", "finalize succeeded")),
        ([("initialize", "error")], RunStep("initialize", retry=True)),
        ([("generate_context_design", "error")], RunStep("generate_context_design", retry=True)),
        ([("revise_design", "error")], RunStep("revise_design", retry=True)),
        ([("finalize", "error")], RunStep("finalize", retry=True)),
    ],
)
def test_every_row_of_the_progression_table(history, expected) -> None:
    # The row is about the latest step: put a plausible earlier step before it too.
    assert determine_next_from_interactions(session_with(*history), LIMITS) == expected
    if history:
        longer = session_with(("initialize", "ok"), *history)
        assert determine_next_from_interactions(longer, LIMITS) == expected


def test_latest_means_highest_seq_not_list_order() -> None:
    session = session_with(("initialize", "ok"), ("generate_context_design", "ok"))
    session = session.model_copy(update={"interactions": list(reversed(session.interactions))})
    assert get_latest_completed_step(session) == ("generate_context_design", "ok")
    assert determine_next_from_interactions(session, LIMITS) == RunStep("validate_design")


def test_a_pending_interaction_is_handed_out_again() -> None:
    session = session_with(("initialize", "ok"), ("generate_context_design", None))
    decision = decide(session, LIMITS)
    assert isinstance(decision, Pending)
    assert decision.interaction.id == "i2"


def test_a_step_failing_max_attempts_times_in_a_row_fails_the_session() -> None:
    two = session_with(("initialize", "ok"), *[("generate_context_design", "error")] * 2)
    assert determine_next_from_interactions(two, LIMITS) == RunStep(
        "generate_context_design", retry=True
    )
    three = session_with(("initialize", "ok"), *[("generate_context_design", "error")] * 3)
    decision = determine_next_from_interactions(three, LIMITS)
    assert isinstance(decision, Done)
    assert decision.status == "failed"
    assert "3 times in a row" in decision.reason


def test_failures_interrupted_by_another_step_start_counting_again() -> None:
    session = session_with(
        ("initialize", "error"),
        ("initialize", "error"),
        ("initialize", "ok"),
        ("generate_context_design", "error"),
        ("generate_context_design", "error"),
    )
    assert determine_next_from_interactions(session, LIMITS) == RunStep(
        "generate_context_design", retry=True
    )


def test_max_attempts_of_one_allows_no_retry() -> None:
    session = session_with(("initialize", "error"))
    decision = determine_next_from_interactions(session, Limits(max_attempts=1))
    assert isinstance(decision, Done)
    assert decision.status == "failed"


def revise_loop(rounds: int) -> list[tuple[str, str]]:
    history: list[tuple[str, str]] = [("initialize", "ok"), ("generate_context_design", "ok")]
    history.append(("validate_design", "error"))
    for _ in range(rounds):
        history += [("revise_design", "ok"), ("validate_design", "error")]
    return history


def test_validation_failing_after_max_revisions_fails_the_session() -> None:
    assert determine_next_from_interactions(session_with(*revise_loop(2)), LIMITS) == RunStep(
        "revise_design"
    )
    decision = determine_next_from_interactions(session_with(*revise_loop(3)), LIMITS)
    assert isinstance(decision, Done)
    assert decision.status == "failed"
    assert "after 3 revision(s)" in decision.reason


def test_zero_revisions_fails_on_the_first_invalid_design() -> None:
    decision = determine_next_from_interactions(
        session_with(*revise_loop(0)), Limits(max_revisions=0)
    )
    assert isinstance(decision, Done)
    assert decision.status == "failed"


@pytest.mark.parametrize(
    ("status", "done"),
    [("complete", "success"), ("failed", "failed"), ("cancelled", "cancelled")],
)
def test_a_finished_session_answers_done(status, done) -> None:
    session = session_with(("initialize", None)).model_copy(update={"status": status})
    decision = decide(session, LIMITS)
    assert isinstance(decision, Done)
    assert decision.status == done
