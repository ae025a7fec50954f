"""`prune`: finished sessions go, then every blob no remaining session names; active stay."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import append_interaction, new_session, set_last_result

from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.store import TinyDBSessionRepository

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def blob_names(root: Path) -> set[str]:
    return {p.name for p in (root / ".codemyspec" / "blobs").iterdir()}


def with_status(status: str):
    def change(session: Session) -> Session:
        session.status = status  # type: ignore[assignment]
        return session

    return change


def add_session(
    repo: TinyDBSessionRepository, session_id: str, status: str, prompt: str, age_days: int = 0
) -> None:
    updated = NOW - timedelta(days=age_days)
    repo.create(new_session(session_id, created_at=updated, updated_at=updated))
    repo.update(session_id, append_interaction(prompt))
    repo.update(session_id, set_last_result(f"{session_id} output\n" + "o" * 5_000))
    if status != "active":
        repo.update(session_id, with_status(status))


@pytest.fixture
def repo(tmp_path: Path) -> TinyDBSessionRepository:
    repo = TinyDBSessionRepository(tmp_path)
    shared = "a prompt two sessions share\n" + "s" * 4_000
    add_session(repo, "done-old", "complete", shared, age_days=40)
    add_session(repo, "failed-old", "failed", "own prompt\n" + "f" * 4_000, age_days=40)
    add_session(repo, "cancelled-new", "cancelled", "another\n" + "c" * 4_000, age_days=1)
    add_session(repo, "working", "active", shared, age_days=90)
    return repo


def test_prune_deletes_finished_sessions_and_only_the_blobs_they_alone_used(
    repo: TinyDBSessionRepository, tmp_path: Path
) -> None:
    working_before = repo.get("working")
    before = blob_names(tmp_path)

    report = repo.prune()

    assert sorted(report.sessions) == ["cancelled-new", "done-old", "failed-old"]
    assert [s.id for s in repo.list()] == ["working"]
    assert repo.get("working") == working_before  # its shared prompt blob is still there
    after = blob_names(tmp_path)
    assert report.blobs == len(before - after) > 0
    assert report.blob_bytes > 0 and report.session_bytes > 0
    assert not (tmp_path / ".codemyspec" / "sessions" / "done-old.json").exists()
    # every blob left is one the remaining session needs
    again = repo.prune()
    assert again.sessions == () and again.blobs == 0


def test_status_and_age_filters_and_dry_run(repo: TinyDBSessionRepository, tmp_path: Path) -> None:
    before = blob_names(tmp_path)
    dry = repo.prune(["complete", "failed"], NOW - timedelta(days=30), dry_run=True)
    assert sorted(dry.sessions) == ["done-old", "failed-old"] and dry.blobs > 0
    assert blob_names(tmp_path) == before
    assert len(repo.list()) == 4

    real = repo.prune(["complete", "failed"], NOW - timedelta(days=30))
    assert (real.sessions, real.blobs, real.blob_bytes) == (
        dry.sessions,
        dry.blobs,
        dry.blob_bytes,
    )
    assert {s.id for s in repo.list()} == {"cancelled-new", "working"}
    assert repo.prune(["cancelled"], NOW - timedelta(days=30)).sessions == ()


def test_active_sessions_are_never_pruned(repo: TinyDBSessionRepository) -> None:
    with pytest.raises(CodeMySpecError, match="only finished sessions"):
        repo.prune(["active", "complete"])
    assert len(repo.list()) == 4


def test_a_prune_that_died_half_way_is_finished_by_the_next_process(
    repo: TinyDBSessionRepository, tmp_path: Path
) -> None:
    store = tmp_path / ".codemyspec"
    # As a prune killed after writing its intent and dropping one session file leaves it.
    (store / "sessions.prune").write_bytes(b'["done-old","failed-old"]')
    (store / "sessions" / "done-old.json").unlink()

    fresh = TinyDBSessionRepository(tmp_path)
    assert {s.id for s in fresh.list()} == {"cancelled-new", "working"}
    assert not (store / "sessions.prune").exists()
    assert not (store / "sessions" / "failed-old.json").exists()
    fresh.get("working")
    # blobs the finished deletions freed go with the next prune
    assert fresh.prune([], None).blobs > 0
