"""`codemyspec sessions prune`: finished sessions go with their texts, active ones resume."""

from __future__ import annotations

from cli_helpers import cli, one_complete_one_active

from codemyspec_lsp.session.service import SessionService


def test_prune_frees_finished_sessions_and_leaves_active_ones_resumable(make_workspace):
    workspace = make_workspace()
    orders, payments = one_complete_one_active(workspace)
    blobs = workspace / ".codemyspec" / "blobs"
    blobs_before = set(blobs.iterdir())

    dry = cli("sessions", "prune", "--workspace", str(workspace), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[:2] == ["would delete 1 session(s):", f"  {orders.id}"]
    assert "would free" in dry.stdout
    assert set(blobs.iterdir()) == blobs_before

    young = cli("sessions", "prune", "--workspace", str(workspace), "--older-than", "30d")
    assert young.stdout.startswith("deleted 0 session(s)"), young.stdout + young.stderr

    pruned = cli("sessions", "--workspace", str(workspace), "prune", "--status", "complete")
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.splitlines()[:2] == ["deleted 1 session(s):", f"  {orders.id}"]
    assert "freed " in pruned.stdout and "session file(s)" in pruned.stdout

    listing = cli("sessions", "--workspace", str(workspace))
    assert payments.id in listing.stdout and orders.id not in listing.stdout
    resumed = cli("run", "--session", payments.id, "--workspace", str(workspace), "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert SessionService(workspace).get_session(payments.id).status == "complete"


def test_prune_refuses_active_and_malformed_ages(make_workspace):
    workspace = make_workspace()
    active = cli("sessions", "prune", "--workspace", str(workspace), "--status", "active")
    assert active.returncode == 2 and "never pruned" in active.stderr
    age = cli("sessions", "prune", "--workspace", str(workspace), "--older-than", "a month")
    assert age.returncode == 2 and "--older-than takes" in age.stderr
