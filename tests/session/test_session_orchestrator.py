"""The orchestrator through SessionService over an in-memory store: what a client sees."""

from __future__ import annotations

import pytest
from session_workspace import FAKE_AGENT_CONFIG, write_config

from codemyspec_lsp import protocol
from codemyspec_lsp.session import orchestrator
from codemyspec_lsp.session.errors import (
    DuplicateResult,
    InteractionNotFound,
    InvalidParams,
    SessionNotActive,
    SessionNotFound,
)
from codemyspec_lsp.session.models import (
    CommandStep,
    DoneStep,
    ResultInput,
    StartSessionParams,
)
from codemyspec_lsp.workspace.config import ConfigOverrides
from fakes.fake_agent import VALID
from fakes.run_command import run_command

OK = ResultInput(status="ok")
ERROR = ResultInput(status="error", code=1, stderr="boom")


def start(service, context="Accounts", description=None):
    return service.start_session(StartSessionParams(context=context, description=description))


def step_to(service, session_id, step):
    """Report ok (running agents for real) until ``step`` is handed out; return it."""
    while True:
        answer = service.next_step(session_id)
        assert isinstance(answer, CommandStep), answer
        if answer.step == step:
            return answer
        service.report_result(session_id, answer.interaction_id, run_command(answer.command))


def test_start_session_names_module_and_design_file(make_service) -> None:
    session = start(make_service(), "Accounts", "customer accounts")
    assert session.status == "active"
    assert session.context.module == "Shop.Accounts"
    assert session.context.design_file == "docs/design/shop/accounts.md"
    assert len(session.id) == 32


def test_a_qualified_context_keeps_its_module(make_service) -> None:
    session = start(make_service(), "ShopWeb.ProductLive")
    assert session.context.name == "ProductLive"
    assert session.context.design_file == "docs/design/shop_web/product_live.md"


def test_a_bad_context_name_is_refused_naming_the_field(make_service, repository) -> None:
    with pytest.raises(InvalidParams, match=r"^context: "):
        start(make_service(), "../etc/passwd")
    assert repository.writes == 0


def test_next_step_twice_returns_the_same_pending_interaction(make_service, repository) -> None:
    service = make_service()
    session = start(service)
    first = service.next_step(session.id)
    second = service.next_step(session.id)
    assert isinstance(first, CommandStep)
    assert first == second
    assert len(service.get_session(session.id).interactions) == 1


def test_the_first_command_is_initialize_with_seq_one(make_service) -> None:
    service = make_service()
    session = start(service)
    answer = service.next_step(session.id)
    assert answer.step == "initialize"
    assert answer.command.kind == "noop"  # setup = "none" in the test workspace
    stored = service.get_session(session.id).interactions[0]
    assert (stored.seq, stored.id, stored.result) == (1, answer.interaction_id, None)


def test_results_that_cannot_be_accepted_are_refused_and_store_nothing(
    make_service, repository
) -> None:
    service = make_service()
    session = start(service)
    answer = service.next_step(session.id)
    service.report_result(session.id, answer.interaction_id, OK)
    before = (repository.writes, service.get_session(session.id))

    with pytest.raises(SessionNotFound) as not_found:
        service.report_result("no-such-session", answer.interaction_id, OK)
    with pytest.raises(InteractionNotFound) as unknown:
        service.report_result(session.id, "no-such-interaction", OK)
    with pytest.raises(DuplicateResult) as duplicate:
        service.report_result(session.id, answer.interaction_id, ERROR)

    assert not_found.value.code == protocol.SESSION_NOT_FOUND
    assert unknown.value.code == protocol.INTERACTION_NOT_FOUND
    assert duplicate.value.code == protocol.DUPLICATE_RESULT
    assert (repository.writes, service.get_session(session.id)) == before


def test_cancel_ends_the_session_and_refuses_later_results(make_service, repository) -> None:
    service = make_service()
    session = start(service)
    pending = service.next_step(session.id)
    cancelled = service.cancel_session(session.id)
    assert cancelled.status == "cancelled"
    assert service.next_step(session.id) == DoneStep(session_id=session.id, status="cancelled")
    writes = repository.writes
    with pytest.raises(SessionNotActive) as refused:
        service.report_result(session.id, pending.interaction_id, OK)
    assert refused.value.code == protocol.SESSION_NOT_ACTIVE
    assert repository.writes == writes
    assert service.get_session(session.id).interactions[0].result is None


def test_a_failing_step_is_retried_then_fails_the_session_when_its_result_is_stored(
    make_service,
) -> None:
    service = make_service()
    session = start(service)
    ids = []
    for attempt in range(3):
        answer = service.next_step(session.id)
        assert answer.step == "initialize"
        ids.append(answer.interaction_id)
        outcome = service.report_result(session.id, answer.interaction_id, ERROR)
        assert outcome.session.status == ("failed" if attempt == 2 else "active")
    assert len(set(ids)) == 3
    assert service.next_step(session.id) == DoneStep(session_id=session.id, status="failed")
    assert "3 times in a row" in service.get_session(session.id).state["outcome"]["reason"]


def test_the_finalize_result_completes_the_session_at_once(make_service) -> None:
    service = make_service()
    session = start(service)
    answer = step_to(service, session.id, "validate_design")
    service.report_result(session.id, answer.interaction_id, OK)  # flawed: error -> revise
    revise = service.next_step(session.id)
    assert revise.step == "revise_design"
    service.report_result(session.id, revise.interaction_id, run_command(revise.command))
    validate = service.next_step(session.id)
    service.report_result(session.id, validate.interaction_id, OK)
    finalize = service.next_step(session.id)
    assert finalize.step == "finalize"
    assert finalize.command.kind == "noop"
    outcome = service.report_result(session.id, finalize.interaction_id, OK)
    assert outcome.session.status == "complete"
    assert service.next_step(session.id) == DoneStep(session_id=session.id, status="success")


def test_a_fresh_service_resumes_a_stored_session(make_service, repository) -> None:
    first = make_service()
    session = start(first)
    pending = step_to(first, session.id, "validate_design")
    # A new process: new service, same store. It hands out the same pending command.
    second = make_service()
    assert second.next_step(session.id) == pending
    second.report_result(session.id, pending.interaction_id, OK)
    assert second.next_step(session.id).step == "revise_design"


def test_validate_reads_the_open_buffer_before_the_disk(make_service, workspace) -> None:
    design = workspace / "docs/design/shop/accounts.md"
    buffers = {}
    service = make_service(open_document=lambda path: buffers.get(path))
    session = start(service)
    validate = step_to(service, session.id, "validate_design")  # the agent wrote a flawed file
    buffers[design.resolve()] = "# Accounts\n\n## Purpose\nOnly a purpose.\n"
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    result = outcome.session.interactions[-1].result
    assert result.status == "error"
    assert outcome.validated is not None
    path, report = outcome.validated
    assert path == design.resolve()
    # The buffer lacks nine sections; the file on disk lacks two (and has a bad dependency).
    assert [d.code for d in report.errors].count("CMS101") == 9
    assert "1:1 CMS101 Required section 'Entity Ownership' is missing" in result.error_message
    assert outcome.session.state["design"]["title"] == "Accounts"


def test_validation_errors_are_listed_one_per_line_and_reach_the_revise_prompt(
    make_service,
) -> None:
    service = make_service()
    session = start(service)
    validate = step_to(service, session.id, "validate_design")
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    result = outcome.session.interactions[-1].result
    lines = result.error_message.splitlines()
    assert lines == [
        "1:1 CMS101 Required section 'Components' is missing: add a `## Components` section.",
        "1:1 CMS101 Required section 'Test Assertions' is missing: "
        "add a `## Test Assertions` section.",
        lines[2],
    ]
    assert lines[2].startswith("22:1 CMS120 Dependency 'shop mailer'")
    assert result.data["errors"] == lines
    revise = service.next_step(session.id)
    assert revise.command.kind == "agent"
    for line in lines:
        assert line in revise.command.stdin
    assert "docs/design/shop/accounts.md" in revise.command.stdin
    assert revise.command.env[protocol.ENV_STEP] == "revise_design"


def test_a_missing_design_file_is_an_error_result(make_service, workspace) -> None:
    service = make_service()
    session = start(service)
    generate = step_to(service, session.id, "generate_context_design")
    service.report_result(session.id, generate.interaction_id, OK)  # claimed, wrote nothing
    validate = service.next_step(session.id)
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    result = outcome.session.interactions[-1].result
    assert result.status == "error"
    assert result.error_message == "the design file docs/design/shop/accounts.md does not exist"
    assert outcome.validated is None


def test_a_design_with_only_warnings_is_a_warning_and_moves_on(make_service, workspace) -> None:
    service = make_service()
    session = start(service)
    validate = step_to(service, session.id, "validate_design")
    design = workspace / "docs/design/shop/accounts.md"
    # A duplicate section is a warning (CMS103).
    design.write_text(VALID.format(name="Accounts", module="Shop.Accounts") + "\n## Purpose\nx\n")
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    result = outcome.session.interactions[-1].result
    assert result.status == "warning"
    assert result.error_message is None
    assert service.next_step(session.id).step == "finalize"


def test_the_orchestrator_alone_is_pure_until_a_repository_stores_it(make_service) -> None:
    service = make_service()
    session = start(service)
    ctx = service._context()
    changed, answer = orchestrator.next_step(ctx, session)
    assert session.interactions == []  # the input is never modified
    assert len(changed.interactions) == 1
    assert service.get_session(session.id).interactions == []
    assert answer.step == "initialize"


def test_a_design_file_linking_outside_the_workspace_is_an_error_result(
    make_service, workspace, tmp_path
) -> None:
    service = make_service()
    session = start(service)
    validate = step_to(service, session.id, "validate_design")
    design = workspace / "docs/design/shop/accounts.md"
    design.unlink()
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n")
    design.symlink_to(secret)
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    result = outcome.session.interactions[-1].result
    assert result.status == "error"
    assert "outside the workspace" in result.error_message
    assert outcome.validated is None


def test_an_oversized_design_is_reported_without_reading_it_all(make_service, workspace) -> None:
    write_config(workspace, FAKE_AGENT_CONFIG + "\n[design]\nmax_file_bytes = 100\n")
    service = make_service()
    session = start(service)
    validate = step_to(service, session.id, "validate_design")
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    assert outcome.session.interactions[-1].result.error_message.startswith("1:1 CMS001")


def test_a_session_keeps_its_file_when_the_design_dir_setting_changes(
    make_service, workspace
) -> None:
    service = make_service()
    session = start(service)
    validate = step_to(service, session.id, "validate_design")
    service.reload(ConfigOverrides(design_dir="elsewhere"))
    outcome = service.report_result(session.id, validate.interaction_id, OK)
    assert outcome.validated is not None
    assert outcome.validated[0] == (workspace / "docs/design/shop/accounts.md").resolve()
    assert service.is_design_document(outcome.validated[0])  # an active session's file
    assert start(service).context.design_file == "elsewhere/shop/accounts.md"


def test_an_invalid_editor_setting_is_dropped_and_reported(make_service) -> None:
    service = make_service(overrides=ConfigOverrides(design_dir="../outside"))
    assert service.config.design.dir == "docs/design"
    assert service.config_problem is not None
    assert "editor setting" in service.config_problem.message
