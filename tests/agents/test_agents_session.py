"""Sessions with fake agent CLIs that record their argv: resume, fallback, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemyspec_lsp.session.models import CommandStep, ResultInput, Session, StartSessionParams
from codemyspec_lsp.session.service import SessionService
from fakes.memory_repository import InMemoryRepository
from fakes.run_command import run_command


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_CLI_LOG", str(log))
    return log


def recorded(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def start(root: Path) -> tuple[SessionService, Session]:
    service = SessionService(root, repository=InMemoryRepository())
    return service, service.start_session(StartSessionParams(context="Orders"))


def drive(service: SessionService, session_id: str, limit: int = 12) -> Session:
    for _ in range(limit):
        answer = service.next_step(session_id)
        if not isinstance(answer, CommandStep):
            break
        service.report_result(session_id, answer.interaction_id, run_command(answer.command))
    return service.get_session(session_id)


def agent_runs(session: Session) -> list:
    return [i for i in session.interactions if i.command.kind == "agent"]


def test_claude_revise_resumes_the_generate_conversation(fake_bin, agent_workspace, calls) -> None:
    fake_bin("claude")
    service, session = start(agent_workspace('preset = "claude"\n'))
    session = drive(service, session.id)
    assert session.status == "complete"
    generate, revise = recorded(calls)
    chosen = generate["argv"][generate["argv"].index("--session-id") + 1]
    assert revise["argv"][:4] == ["claude", "-p", "--resume", chosen]
    assert "--session-id" not in revise["argv"]
    assert "failed validation" in revise["stdin"]
    assert "How to write the document" not in revise["stdin"]  # the conversation has it
    first = agent_runs(session)[0]
    assert first.result.data["usage"] == {
        "agent": "claude",
        "model": "fake-model",
        "inputTokens": 1000,
        "outputTokens": 200,
        "costUsd": 0.25,
        "turns": 2,
        "agentSessionId": chosen,
    }
    assert agent_runs(session)[1].command.metadata["resumed"] is True


def test_codex_resumes_the_thread_named_in_its_events(fake_bin, agent_workspace, calls) -> None:
    fake_bin("codex")
    service, session = start(agent_workspace('preset = "codex"\n'))
    session = drive(service, session.id)
    assert session.status == "complete"
    generate, revise = recorded(calls)
    assert "resume" not in generate["argv"] and generate["argv"][-1] == "-"
    assert revise["argv"][:3] == ["codex", "exec", "resume"]
    assert revise["argv"][-2:] == ["thread-1", "-"]
    assert agent_runs(session)[0].result.data["usage"]["agentSessionId"] == "thread-1"


def test_a_refused_resume_falls_back_to_a_fresh_full_prompt(
    fake_bin, agent_workspace, calls, monkeypatch
) -> None:
    fake_bin("claude")
    monkeypatch.setenv("FAKE_CLI_MODE", "refuse-resume")
    service, session = start(agent_workspace('preset = "claude"\n'))
    session = drive(service, session.id)
    assert session.status == "complete"
    _, refused, fresh = recorded(calls)
    assert "--resume" in refused["argv"]
    assert "--resume" not in fresh["argv"] and "--session-id" in fresh["argv"]
    assert "How to write the document" in fresh["stdin"]
    assert "# Errors to fix" in fresh["stdin"]
    failure = agent_runs(session)[1].result.data["failure"]
    assert failure["kind"] == "exit"
    assert "could not continue its conversation" in failure["message"]


def test_with_resume_off_revise_sends_the_full_prompt(fake_bin, agent_workspace, calls) -> None:
    fake_bin("claude")
    service, session = start(agent_workspace('preset = "claude"\nresume = false\n'))
    session = drive(service, session.id)
    assert session.status == "complete"
    generate, revise = recorded(calls)
    assert "--session-id" not in generate["argv"] and "--resume" not in revise["argv"]
    assert "How to write the document" in revise["stdin"]


@pytest.mark.parametrize(
    ("mode", "kind", "words"),
    [
        ("auth", "auth", "claude is not logged in or its key was refused: run `claude` once"),
        ("usage", "usage", "claude rejected its arguments (error: unknown option '--bogus')"),
    ],
)
def test_a_fatal_failure_ends_the_session_after_one_attempt_with_the_fix(
    fake_bin, agent_workspace, calls, monkeypatch, mode, kind, words
) -> None:
    fake_bin("claude")
    monkeypatch.setenv("FAKE_CLI_MODE", mode)
    service, session = start(agent_workspace('preset = "claude"\n'))
    session = drive(service, session.id)
    assert session.status == "failed"
    assert len(recorded(calls)) == 1
    assert agent_runs(session)[0].result.data["failure"]["kind"] == kind
    reason = session.state["outcome"]["reason"]
    assert words in reason and reason.endswith("then resume the session")


def test_an_agent_that_cannot_be_spawned_fails_the_session_at_once(
    fake_bin, agent_workspace
) -> None:
    fake_bin()  # nothing installed
    service, session = start(agent_workspace('preset = "gemini"\n'))
    answer = service.next_step(session.id)
    while answer.step != "generate_context_design":
        service.report_result(session.id, answer.interaction_id, run_command(answer.command))
        answer = service.next_step(session.id)
    spawn_failed = ResultInput(status="error", code=127, error_message="cannot start 'gemini'")
    session = service.report_result(session.id, answer.interaction_id, spawn_failed).session
    assert session.status == "failed"
    assert session.state["outcome"]["reason"].startswith(
        "gemini is not installed or not on PATH: install it with "
        "`npm install -g @google/gemini-cli`"
    )


def test_other_failures_are_retried(fake_bin, agent_workspace, calls, monkeypatch) -> None:
    fake_bin("claude")
    monkeypatch.setenv("FAKE_CLI_MODE", "crash")
    service, session = start(agent_workspace('preset = "claude"\n'))
    session = drive(service, session.id)
    assert session.status == "failed"
    assert len(recorded(calls)) == 3  # workflow.max_attempts
    assert {i.result.data["failure"]["kind"] for i in agent_runs(session)} == {"exit"}
    assert session.state["outcome"]["reason"] == "generate_context_design failed 3 times in a row"
