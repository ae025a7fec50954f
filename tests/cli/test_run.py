"""`codemyspec run` against a real server and a fake agent: confirmation, --yes, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from cli_helpers import CODEMYSPEC, cli

from codemyspec_lsp.session.service import SessionService

STEPS_OF_A_CLEAN_RUN = ["initialize", "generate_context_design", "validate_design", "finalize"]


def only_session(workspace: Path):
    service = SessionService(workspace)
    [summary] = service.list_sessions()
    return service.get_session(summary.id)


def test_run_with_yes_completes_the_session(make_workspace):
    workspace = make_workspace()
    run = cli("run", "--context", "Orders", "--workspace", str(workspace), "--yes")
    assert run.returncode == 0, run.stdout + run.stderr
    # The agent's own output is streamed, the steps are announced with progress.
    assert "fake agent wrote the design" in run.stdout
    assert "generate_context_design" in run.stdout
    assert "[1/4] initialize" in run.stdout
    assert "finished: success" in run.stdout
    assert (workspace / "docs/design/shop/orders.md").is_file()
    session = only_session(workspace)
    assert session.status == "complete"
    assert session.environment == "cli"
    assert [i.step for i in session.interactions] == STEPS_OF_A_CLEAN_RUN


def test_run_asks_before_each_command_and_runs_on_yes(make_workspace):
    workspace = make_workspace()
    # Only the agent command needs an answer: setup and finalize are noops here.
    run = cli("run", "--context", "Orders", "--workspace", str(workspace), stdin="y\n")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("run this command? [y/N]") == 1
    assert only_session(workspace).status == "complete"


def test_declining_leaves_the_session_resumable(make_workspace):
    workspace = make_workspace()
    run = cli("run", "--context", "Orders", "--workspace", str(workspace), stdin="n\n")
    assert run.returncode == 1
    assert "declined" in run.stdout
    session = only_session(workspace)
    assert session.status == "active"
    assert not (workspace / "docs/design/shop/orders.md").exists()

    # End of input counts as no, too.
    again = cli("run", "--session", session.id, "--workspace", str(workspace), stdin="")
    assert again.returncode == 1
    assert "end of input" in again.stdout

    resumed = cli("run", "--session", session.id, "--workspace", str(workspace), stdin="yes\n")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    session = only_session(workspace)
    assert session.status == "complete"
    # Declining twice never created a second pending interaction.
    assert [i.step for i in session.interactions] == STEPS_OF_A_CLEAN_RUN


@pytest.mark.timeout(120)
def test_ctrl_c_during_the_agent_stops_it_and_a_second_run_resumes(make_workspace):
    workspace = make_workspace()
    (workspace / ".slow-agent").write_text("", encoding="utf-8")
    driver = subprocess.Popen(
        [
            *CODEMYSPEC,
            "run",
            "--context",
            "Orders",
            "--workspace",
            str(workspace),
            "--yes",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert driver.stdout is not None
    seen = []
    for line in driver.stdout:
        seen.append(line)
        if "fake agent started" in line:
            break
    else:
        pytest.fail("the agent never started:\n" + "".join(seen) + driver.stderr.read())
    driver.send_signal(signal.SIGINT)
    rest, errors = driver.communicate(timeout=60)
    output = "".join(seen) + rest
    assert driver.returncode == 130, output + errors
    assert "interrupted" in output
    assert "--session" in output  # says how to resume

    session = only_session(workspace)
    assert session.status == "active"
    last = session.interactions[-1]
    assert last.step == "generate_context_design"
    assert last.result is not None and last.result.status == "error"
    assert "interrupted" in (last.result.error_message or "")

    (workspace / ".slow-agent").unlink()
    resumed = cli("run", "--session", session.id, "--workspace", str(workspace), "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    session = only_session(workspace)
    assert session.status == "complete"
    assert [i.step for i in session.interactions] == [
        "initialize",
        "generate_context_design",
        "generate_context_design",
        "validate_design",
        "finalize",
    ]


def test_an_agent_past_its_timeout_is_stopped_and_reported(make_workspace):
    workspace = make_workspace(timeout=1)
    (workspace / ".slow-agent").write_text("", encoding="utf-8")
    run = cli("run", "--context", "Orders", "--workspace", str(workspace), "--yes")
    # Every attempt times out, so the session fails after workflow.maxAttempts (3).
    assert run.returncode == 1, run.stdout + run.stderr
    assert "timed out after 1 s" in run.stdout
    assert "finished: failed" in run.stdout
    assert only_session(workspace).status == "failed"


def test_usage_errors_exit_2(make_workspace, tmp_path):
    workspace = make_workspace()
    assert cli("run", "--workspace", str(workspace)).returncode == 2  # no --context/--session
    missing = cli("run", "--context", "Orders", "--workspace", str(tmp_path / "nope"))
    assert missing.returncode == 2
    unknown = cli("run", "--session", "no-such-id", "--workspace", str(workspace))
    assert unknown.returncode == 2
    assert "not found" in unknown.stdout


@pytest.mark.timeout(120)
def test_ctrl_c_at_the_question_runs_nothing_and_reports_nothing(make_workspace):
    workspace = make_workspace()
    driver = subprocess.Popen(
        [
            *CODEMYSPEC,
            "run",
            "--context",
            "Orders",
            "--workspace",
            str(workspace),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert driver.stdout is not None
    seen = ""
    while not seen.endswith("[y/N] "):
        char = driver.stdout.read(1)
        if not char:
            pytest.fail("no question was asked:\n" + seen + driver.stderr.read())
        seen += char
    driver.send_signal(signal.SIGINT)
    driver.wait(timeout=60)  # stdin stays open: no end of input can answer for us
    rest, errors = driver.communicate(timeout=60)
    assert driver.returncode == 130, seen + rest + errors
    session = only_session(workspace)
    assert session.status == "active"
    assert session.interactions[-1].step == "generate_context_design"
    assert session.interactions[-1].result is None  # still pending: the next run asks again
    assert not (workspace / "docs/design/shop/orders.md").exists()
