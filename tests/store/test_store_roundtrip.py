"""What the engine sees through the repository: round trips, blobs, updates, summaries."""

from __future__ import annotations

from pathlib import Path

import filelock
import pytest
from store_helpers import append_interaction, append_to_state, new_session, set_last_result

from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound, StoreUnavailable
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


def test_a_session_reads_back_equal_from_a_fresh_process_view(tmp_path: Path) -> None:
    repo = open_repository(tmp_path)
    session = new_session("s1", state={"design": {"title": "Accounts"}}, execution_mode="auto")
    repo.create(session)
    repo.update("s1", append_interaction(PROMPT))
    stored = repo.update("s1", set_last_result(STDOUT))

    again = open_repository(tmp_path).get("s1")
    assert again == stored
    assert again.execution_mode == "auto"
    assert again.state == {"design": {"title": "Accounts"}}


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


def test_update_gives_the_change_the_freshest_record(tmp_path: Path) -> None:
    first, second = open_repository(tmp_path), open_repository(tmp_path)
    first.create(new_session("s1"))
    first.get("s1")  # warm the first view's cache
    second.update("s1", append_to_state("items", "from-second"))

    seen: list[list[str]] = []

    def change(session):
        seen.append(list(session.state["items"]))
        return append_to_state("items", "from-first")(session)

    first.update("s1", change)
    assert seen == [["from-second"]]
    assert second.get("s1").state["items"] == ["from-second", "from-first"]


def test_a_change_that_raises_writes_nothing(repo, tmp_path: Path) -> None:
    repo.create(new_session("s1", state={"items": ["a"]}))
    store = tmp_path / ".codemyspec"
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    stamp = repo.stamp()

    def change(session):
        session.state["items"].append("b")  # mutates what it was given, then fails
        append_interaction(PROMPT)(session)
        raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError, match="the step failed"):
        repo.update("s1", change)

    after = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    assert after == before
    assert repo.get("s1").state == {"items": ["a"]}
    assert repo.stamp() == stamp


def test_an_update_that_changes_the_id_is_refused(repo) -> None:
    repo.create(new_session("s1"))
    with pytest.raises(CodeMySpecError):
        repo.update("s1", lambda session: new_session("s2"))
    assert [s.id for s in repo.list()] == ["s1"]


def test_an_invalid_session_is_refused_before_anything_is_written(repo) -> None:
    repo.create(new_session("s1"))

    def change(session):
        session.status = "exploded"  # pydantic does not validate assignment
        return session

    with pytest.raises(CodeMySpecError, match="invalid session"):
        repo.update("s1", change)
    assert repo.get("s1").status == "active"


def test_creating_an_existing_id_is_refused(repo) -> None:
    repo.create(new_session("s1", state={"keep": True}))
    with pytest.raises(CodeMySpecError, match="already exists"):
        repo.create(new_session("s1"))
    assert repo.get("s1").state == {"keep": True}


@pytest.mark.parametrize("bad_id", ["", "../sessions", "a/b", "x" * 65, "s1.json", "é", "a b"])
def test_an_unsafe_id_is_not_found_and_builds_no_path(repo, tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(SessionNotFound):
        repo.get(bad_id)
    with pytest.raises(SessionNotFound):
        repo.update(bad_id, lambda session: session)
    with pytest.raises(SessionNotFound):
        repo.create(new_session("ok").model_copy(update={"id": bad_id}))


def test_an_unknown_id_is_not_found(repo) -> None:
    repo.create(new_session("s1"))
    with pytest.raises(SessionNotFound):
        repo.get("nope")
    with pytest.raises(SessionNotFound):
        repo.update("nope", lambda session: session)


def test_list_gives_summaries_filtered_by_status_in_creation_order(repo, tmp_path) -> None:
    for sid in ("b", "a", "c"):
        repo.create(new_session(sid))
    repo.update("a", append_interaction(PROMPT))

    def finish(session):
        session.status = "complete"
        return session

    repo.update("c", finish)
    assert [s.id for s in repo.list()] == ["b", "a", "c"]
    assert all(s.interactions == [] for s in repo.list())
    assert [s.id for s in repo.list("complete")] == ["c"]
    assert [s.id for s in repo.list("active")] == ["b", "a"]
    assert repo.list("failed") == []
    # a step rewrites only the index of active sessions, which no longer holds c
    active_index = (tmp_path / ".codemyspec" / "sessions.json").read_text()
    assert '"b"' in active_index and '"c"' not in active_index


def test_a_large_summary_is_kept_out_of_the_index(repo, tmp_path: Path) -> None:
    big_state = {"design": {"purpose": "x" * 20_000}}
    repo.create(new_session("s1", state=big_state))
    assert (tmp_path / ".codemyspec" / "sessions.json").stat().st_size < 2_000
    assert TinyDBSessionRepository(tmp_path).list()[0].state == big_state


def test_stamp_and_changed_since_follow_every_change(tmp_path: Path) -> None:
    watcher, writer = open_repository(tmp_path), open_repository(tmp_path)
    writer.create(new_session("s1"))
    writer.create(new_session("s2"))
    stamp = watcher.stamp()
    assert watcher.changed_since(stamp) == []

    writer.update("s2", append_to_state("items", "x"))
    later = watcher.stamp()
    assert later > stamp
    changed = watcher.changed_since(stamp)
    assert [s.id for s in changed] == ["s2"]
    assert changed[0].state == {"items": ["x"]}
    assert watcher.changed_since(0)[-1].id == "s2"


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
