"""`codemyspec sessions` and `codemyspec show`: reading the store without a server."""

from __future__ import annotations

from cli_helpers import cli, one_complete_one_active


def test_sessions_lists_and_filters_and_show_prints_the_timeline(make_workspace):
    workspace = make_workspace()
    orders, payments = one_complete_one_active(workspace)

    listing = cli("sessions", "--workspace", str(workspace))
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["ID", "CONTEXT", "STATUS", "STEP", "UPDATED"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows[orders.id][1:4] == ["Shop.Orders", "complete", "finalize"]
    assert rows[payments.id][1:4] == ["Shop.Payments", "active", "generate_context_design"]

    active = cli("sessions", "--workspace", str(workspace), "--status", "active")
    assert payments.id in active.stdout and orders.id not in active.stdout

    show = cli("show", orders.id, "--workspace", str(workspace))
    assert show.returncode == 0, show.stderr
    steps = [line.split()[1] for line in show.stdout.splitlines() if line.startswith("#")]
    assert steps == ["initialize", "generate_context_design", "validate_design", "finalize"]
    assert "fake_agent.py" in show.stdout
    assert "complete" in show.stdout

    pending = cli("show", payments.id, "--workspace", str(workspace))
    assert "pending" in pending.stdout


def test_show_of_an_unknown_session_is_a_usage_error(make_workspace):
    workspace = make_workspace()
    run = cli("show", "nope", "--workspace", str(workspace))
    assert run.returncode == 2
    assert "not found" in run.stderr


def test_sessions_of_a_fresh_workspace(make_workspace):
    run = cli("sessions", "--workspace", str(make_workspace()))
    assert run.returncode == 0
    assert "no sessions" in run.stdout
