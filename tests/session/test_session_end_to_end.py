"""A whole design session through SessionService alone, on the real store, with the fake
agent run as a subprocess from the command's argv, as a client would run it."""

from __future__ import annotations

from pathlib import Path

from codemyspec_lsp.session.models import CommandStep, DoneStep, StartSessionParams
from codemyspec_lsp.session.service import SessionService
from fakes.run_command import run_command


def drive(service: SessionService, session_id: str, steps: int | None = None) -> list[str]:
    """Run commands and report results; return "step:status" as stored after each report."""
    seen = []
    while steps is None or len(seen) < steps:
        answer = service.next_step(session_id)
        if isinstance(answer, DoneStep):
            seen.append(f"done:{answer.status}")
            break
        outcome = service.report_result(
            session_id, answer.interaction_id, run_command(answer.command)
        )
        stored = outcome.session.interactions[-1]
        assert stored.result is not None
        seen.append(f"{stored.step}:{stored.result.status}")
    return seen


def test_a_whole_session_reaches_success(workspace: Path) -> None:
    service = SessionService(workspace)  # the real store under .codemyspec/
    session = service.start_session(StartSessionParams(context="Accounts"))

    assert drive(service, session.id) == [
        "initialize:ok",
        "generate_context_design:ok",
        "validate_design:error",
        "revise_design:ok",
        "validate_design:ok",
        "finalize:ok",
        "done:success",
    ]
    final = service.get_session(session.id)
    assert final.status == "complete"
    assert final.state["design"]["title"] == "Accounts"
    assert final.state["design"]["components"][0]["moduleName"] == "Shop.Accounts.Record"
    assert (workspace / "docs/design/shop/accounts.md").is_file()
    assert (workspace / ".codemyspec/sessions.json").is_file()
    assert [s.id for s in service.list_sessions("complete")] == [session.id]


def test_a_second_service_over_the_same_store_resumes_a_half_done_session(
    workspace: Path,
) -> None:
    first = SessionService(workspace)
    session = first.start_session(StartSessionParams(context="Accounts"))
    assert drive(first, session.id, steps=3) == [
        "initialize:ok",
        "generate_context_design:ok",
        "validate_design:error",
    ]
    pending = first.next_step(session.id)
    assert isinstance(pending, CommandStep)
    assert pending.step == "revise_design"
    del first  # the first process is gone, its command handed out but never run

    second = SessionService(workspace)
    assert second.next_step(session.id) == pending
    assert drive(second, session.id) == [
        "revise_design:ok",
        "validate_design:ok",
        "finalize:ok",
        "done:success",
    ]
    assert [i.seq for i in second.get_session(session.id).interactions] == [1, 2, 3, 4, 5, 6]


def test_validated_carries_the_report_for_diagnostics(workspace: Path) -> None:
    service = SessionService(workspace)
    session = service.start_session(StartSessionParams(context="Accounts"))
    drive(service, session.id, steps=2)
    validate = service.next_step(session.id)
    outcome = service.report_result(
        session.id, validate.interaction_id, run_command(validate.command)
    )
    assert outcome.validated is not None
    path, report = outcome.validated
    assert path == (workspace / "docs/design/shop/accounts.md").resolve()
    assert [(d.code, d.range.start.line) for d in report.errors] == [
        ("CMS101", 0),
        ("CMS101", 0),
        ("CMS120", 21),
    ]
    assert service.is_design_document(path)
