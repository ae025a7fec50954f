"""The TinyDB store's own promises: its files, blobs, lock and repairs (the contract both
stores keep is in test_store_contract.py)."""

from __future__ import annotations

from pathlib import Path

import filelock
import pytest
from store_helpers import (
    append_interaction,
    append_to_state,
    failing_change,
    new_session,
    set_last_result,
)

from codemyspec_lsp.session.errors import StoreUnavailable
from codemyspec_lsp.store import TinyDBSessionRepository, open_repository

PROMPT = "Write the design of Shop.Accounts.\n" + "p" * 50_000
STDOUT = "agent output line\n" * 3_000


@pytest.fixture
def repo(tmp_path: Path) -> TinyDBSessionRepository:
    return TinyDBSessionRepository(tmp_path)


def test_open_writes_nothing_and_reads_an_empty_store(tmp_path: Path) -> None:
    repo = open_repository(tmp_path)
    assert repo.list() == []
    assert repo.stamp() == 0
    assert not (tmp_path / ".codemyspec").exists()


def test_large_texts_live_in_blobs_and_are_restored(repo, tmp_path: Path) -> None:
    repo.create(new_session("s1"))
    repo.update("s1", append_interaction(PROMPT))
    repo.update("s1", set_last_result(STDOUT))

    session_file = tmp_path / ".codemyspec" / "sessions" / "s1.json"
    assert session_file.stat().st_size < 5_000  # the 50 KB texts are not in the record
    blobs = sorted(p.read_text() for p in (tmp_path / ".codemyspec" / "blobs").iterdir())
    assert blobs == sorted([PROMPT, STDOUT])  # stdin and metadata.prompt share one blob

    interaction = TinyDBSessionRepository(tmp_path).get("s1").interactions[0]
    assert interaction.command.stdin == PROMPT
    assert interaction.command.metadata == {"prompt": PROMPT, "designFile": "docs/a.md"}
    assert interaction.result is not None
    assert interaction.result.stdout == STDOUT


def test_a_missing_blob_is_reported_with_the_record_that_names_it(repo, tmp_path: Path) -> None:
    repo.create(new_session("s1"))
    repo.update("s1", append_interaction(PROMPT))
    for blob in (tmp_path / ".codemyspec" / "blobs").iterdir():
        blob.unlink()

    with pytest.raises(StoreUnavailable) as caught:
        TinyDBSessionRepository(tmp_path).get("s1")
    assert str(tmp_path / ".codemyspec" / "sessions" / "s1.json") in caught.value.message
    assert "missing" in caught.value.message


def test_a_change_that_raises_writes_nothing(repo, tmp_path: Path) -> None:
    repo.create(new_session("s1", state={"items": ["a"]}))
    store = tmp_path / ".codemyspec"
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    stamp = repo.stamp()
    with pytest.raises(RuntimeError, match="the step failed"):
        repo.update("s1", failing_change(PROMPT))

    after = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    assert after == before
    assert repo.get("s1").state == {"items": ["a"]}
    assert repo.stamp() == stamp


def test_a_finished_session_leaves_the_index_of_active_ones(repo, tmp_path) -> None:
    for sid in ("b", "c"):
        repo.create(new_session(sid))

    def finish(session):
        session.status = "complete"
        return session

    repo.update("c", finish)
    assert [s.id for s in repo.list("complete")] == ["c"]
    # a step rewrites only the index of active sessions, which no longer holds c
    active_index = (tmp_path / ".codemyspec" / "sessions.json").read_text()
    assert '"b"' in active_index and '"c"' not in active_index


def test_a_large_summary_is_kept_out_of_the_index(repo, tmp_path: Path) -> None:
    big_state = {"design": {"purpose": "x" * 20_000}}
    repo.create(new_session("s1", state=big_state))
    assert (tmp_path / ".codemyspec" / "sessions.json").stat().st_size < 2_000
    assert TinyDBSessionRepository(tmp_path).list()[0].state == big_state


def test_a_held_lock_times_out_as_store_unavailable(tmp_path: Path) -> None:
    repo = TinyDBSessionRepository(tmp_path, lock_timeout=0.2)
    repo.create(new_session("s1"))
    holder = filelock.FileLock(str(tmp_path / ".codemyspec" / "sessions.lock"))
    with holder, pytest.raises(StoreUnavailable) as caught:
        repo.update("s1", append_to_state("items", "x"))
    assert "sessions.lock" in caught.value.message
    assert repo.get("s1").state == {}


def test_leftover_temp_files_are_removed_at_the_first_locked_operation(tmp_path: Path) -> None:
    open_repository(tmp_path).create(new_session("s1"))
    store = tmp_path / ".codemyspec"
    leftovers = [
        store / ".sessions.json.abc123.tmp",
        store / "sessions" / ".s1.json.def456.tmp",
        store / "blobs" / f".{'0' * 64}.x.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"half a write")

    repo = open_repository(tmp_path)
    assert [s.id for s in repo.list()] == ["s1"]
    assert not any(path.exists() for path in leftovers)


def test_a_writer_killed_between_session_file_and_index_is_repaired(tmp_path: Path) -> None:
    repo = open_repository(tmp_path)
    repo.create(new_session("s1"))
    store = tmp_path / ".codemyspec"
    index_before = (store / "sessions.json").read_bytes()
    repo.update("s1", append_to_state("items", "x"))
    # Put back the old index and leave the intent, as a kill after the session file would.
    (store / "sessions.json").write_bytes(index_before)
    (store / "sessions.intent").write_text("s1")

    fresh = open_repository(tmp_path)
    assert fresh.list()[0].state == {"items": ["x"]}
    assert not (store / "sessions.intent").exists()
