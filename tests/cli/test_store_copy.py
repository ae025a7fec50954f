"""`codemyspec store copy`: the local store to a database and back, idempotent, verified;
`sessions` and `show` read whichever store the workspace uses."""

from __future__ import annotations

import sys
from pathlib import Path

from cli_helpers import cli

from codemyspec_lsp.store import TinyDBSessionRepository

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from store_helpers import append_interaction, new_session, set_last_result

from pg_cluster import database_snapshot, store_toml_for

PROMPT = "Write the design of Shop.Accounts.\n" + "p" * 10_000


def local_sessions(root: Path) -> TinyDBSessionRepository:
    repo = TinyDBSessionRepository(root)
    repo.create(new_session("s1"))
    repo.update("s1", append_interaction(PROMPT))
    repo.update("s1", set_last_result("the agent wrote it\n" * 500))
    repo.create(new_session("s2", status="complete"))
    return repo


def test_copy_to_a_database_and_back_is_idempotent_and_verified(
    tmp_path: Path, pg_url: str, pg_project: str
) -> None:
    laptop = tmp_path / "laptop"
    repo = local_sessions(laptop)
    copy_to = ["store", "copy", "--to", pg_url, "--project", pg_project]

    first = cli(*copy_to, "--workspace", str(laptop))
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 updated, 0 already there unchanged" in first.stdout
    assert "2 of 2 verified" in first.stdout
    before = database_snapshot(pg_url, pg_project)

    second = cli(*copy_to, "--workspace", str(laptop))
    assert second.returncode == 0, second.stderr
    assert "copied 0 session(s)" in second.stdout and "2 already there unchanged" in second.stdout
    assert database_snapshot(pg_url, pg_project) == before  # nothing written the second time

    repo.update("s1", set_last_result("a better design\n"))
    third = cli(*copy_to, "--workspace", str(laptop))
    assert "0 new, 1 updated, 1 already there unchanged" in third.stdout

    # A colleague's clone pointed at the database reads the sessions there.
    clone = tmp_path / "clone"
    (clone / ".codemyspec").mkdir(parents=True)
    (clone / ".codemyspec" / "config.toml").write_text(store_toml_for(pg_url, pg_project))
    listing = cli("sessions", "--workspace", str(clone))
    assert listing.returncode == 0, listing.stderr
    assert {line.split()[0] for line in listing.stdout.splitlines()[1:]} == {"s1", "s2"}
    show = cli("show", "s1", "--workspace", str(clone))
    assert show.returncode == 0 and "generate_context_design" in show.stdout

    # And back into an empty local store: equal, session by session.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    back = cli(
        "store", "copy", "--from", pg_url, "--project", pg_project, "--workspace", str(fresh)
    )
    assert back.returncode == 0, back.stderr
    assert "2 new" in back.stdout
    copied = TinyDBSessionRepository(fresh)
    assert [copied.get(s) for s in ("s1", "s2")] == [repo.get(s) for s in ("s1", "s2")]


def test_an_unreachable_database_is_reported_without_its_password(tmp_path: Path) -> None:
    laptop = tmp_path / "laptop"
    local_sessions(laptop)
    url = "postgresql://alice:hunter2@127.0.0.1:1/teamdb"
    run = cli("store", "copy", "--to", url, "--workspace", str(laptop))
    assert run.returncode == 1
    assert "127.0.0.1:1/teamdb cannot be reached" in run.stderr
    assert "hunter2" not in run.stderr + run.stdout
