"""The repository contract, the same tests on both stores (TinyDB files and PostgreSQL).

What the engine relies on: round trips through a fresh view, the freshest record for
every change, nothing stored by a change that fails, ids checked, summaries in creation
order, change stamps that move with every change made through any view.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import (
    append_interaction,
    append_to_state,
    failing_change,
    new_session,
    set_last_result,
    stamp_after,
)

from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound
from codemyspec_lsp.store import open_repository

PROMPT = "Write the design of Shop.Accounts.\n" + "p" * 50_000
STDOUT = "agent output line\n" * 3_000


def finish(session):
    session.status = "complete"
    return session


def test_an_empty_store_lists_nothing(store_root: Path) -> None:
    repo = open_repository(store_root)
    assert repo.list() == []
    assert repo.stamp() == 0
    assert repo.changed_since(0) == []


def test_a_session_reads_back_equal_through_a_fresh_view(store_root: Path) -> None:
    repo = open_repository(store_root)
    session = new_session("s1", state={"design": {"title": "Accounts"}}, execution_mode="auto")
    repo.create(session)
    repo.update("s1", append_interaction(PROMPT))
    stored = repo.update("s1", set_last_result(STDOUT))

    again = open_repository(store_root).get("s1")
    assert again == stored
    interaction = again.interactions[0]
    assert interaction.command.stdin == PROMPT
    assert interaction.command.metadata == {"prompt": PROMPT, "designFile": "docs/a.md"}
    assert interaction.result is not None
    assert interaction.result.stdout == STDOUT


def test_texts_with_nul_and_lone_surrogates_survive(store_root: Path) -> None:
    repo = open_repository(store_root)
    odd = "nul \x00 surrogate \ud800 end " * 200  # long: goes to the large texts
    repo.create(new_session("s1"))
    repo.update("s1", append_interaction(odd))
    assert open_repository(store_root).get("s1").interactions[0].command.stdin == odd


def test_update_gives_the_change_the_freshest_record(store_root: Path) -> None:
    first, second = open_repository(store_root), open_repository(store_root)
    first.create(new_session("s1"))
    first.get("s1")  # warm the first view's caches
    second.update("s1", append_to_state("items", "from-second"))

    seen: list[list[str]] = []

    def change(session):
        seen.append(list(session.state["items"]))
        return append_to_state("items", "from-first")(session)

    first.update("s1", change)
    assert seen == [["from-second"]]
    assert second.get("s1").state["items"] == ["from-second", "from-first"]


def test_a_change_that_raises_stores_nothing(store_root: Path) -> None:
    repo = open_repository(store_root)
    repo.create(new_session("s1", state={"items": ["a"]}))
    before, stamp = repo.get("s1"), repo.stamp()
    with pytest.raises(RuntimeError, match="the step failed"):
        repo.update("s1", failing_change(PROMPT))

    fresh = open_repository(store_root)
    assert fresh.get("s1") == before
    assert repo.get("s1").state == {"items": ["a"]}
    assert fresh.stamp() == stamp
    assert fresh.changed_since(stamp) == []


def test_an_update_that_changes_the_id_is_refused(store_root: Path) -> None:
    repo = open_repository(store_root)
    repo.create(new_session("s1"))
    with pytest.raises(CodeMySpecError):
        repo.update("s1", lambda session: new_session("s2"))
    assert [s.id for s in repo.list()] == ["s1"]


def test_an_invalid_session_is_refused_before_anything_is_stored(store_root: Path) -> None:
    repo = open_repository(store_root)
    repo.create(new_session("s1"))

    def change(session):
        session.status = "exploded"  # pydantic does not validate assignment
        return session

    with pytest.raises(CodeMySpecError, match="invalid session"):
        repo.update("s1", change)
    assert repo.get("s1").status == "active"


def test_creating_an_existing_id_is_refused(store_root: Path) -> None:
    repo = open_repository(store_root)
    repo.create(new_session("s1", state={"keep": True}))
    stamp = repo.stamp()
    with pytest.raises(CodeMySpecError, match="already exists"):
        open_repository(store_root).create(new_session("s1"))
    assert repo.get("s1").state == {"keep": True}
    assert open_repository(store_root).stamp() == stamp


@pytest.mark.parametrize("bad_id", ["", "../sessions", "a/b", "x" * 65, "s1.json", "é", "\x00"])
def test_an_unsafe_id_is_not_found(store_root: Path, bad_id: str) -> None:
    repo = open_repository(store_root)
    with pytest.raises(SessionNotFound):
        repo.get(bad_id)
    with pytest.raises(SessionNotFound):
        repo.update(bad_id, lambda session: session)
    with pytest.raises(SessionNotFound):
        repo.create(new_session("ok").model_copy(update={"id": bad_id}))
    assert repo.list() == []


def test_an_unknown_id_is_not_found(store_root: Path) -> None:
    repo = open_repository(store_root)
    repo.create(new_session("s1"))
    with pytest.raises(SessionNotFound):
        repo.get("nope")
    with pytest.raises(SessionNotFound):
        repo.update("nope", lambda session: session)


def test_list_gives_summaries_filtered_by_status_in_creation_order(store_root: Path) -> None:
    repo = open_repository(store_root)
    for sid in ("b", "a", "c"):
        repo.create(new_session(sid))
    repo.update("a", append_interaction(PROMPT))
    repo.update("c", finish)
    fresh = open_repository(store_root)
    assert [s.id for s in fresh.list()] == ["b", "a", "c"]
    assert all(s.interactions == [] for s in fresh.list())
    assert [s.id for s in fresh.list("complete")] == ["c"]
    assert [s.id for s in fresh.list("active")] == ["b", "a"]
    assert fresh.list("failed") == []


def test_a_large_summary_reads_back(store_root: Path) -> None:
    big_state = {"design": {"purpose": "x" * 20_000}}
    open_repository(store_root).create(new_session("s1", state=big_state))
    assert open_repository(store_root).list()[0].state == big_state


def test_stamp_and_changed_since_follow_every_change(store_root: Path) -> None:
    watcher, writer = open_repository(store_root), open_repository(store_root)
    writer.create(new_session("s1"))
    writer.create(new_session("s2"))
    stamp = watcher.stamp()
    assert watcher.changed_since(stamp) == []

    writer.update("s2", append_to_state("items", "x"))
    later = stamp_after(watcher, stamp)
    assert later > stamp
    changed = watcher.changed_since(stamp)
    assert [s.id for s in changed] == ["s2"]
    assert changed[0].state == {"items": ["x"]}
    writer.update("s1", finish)
    stamp_after(watcher, later)
    assert [s.id for s in watcher.changed_since(stamp)] == ["s2", "s1"]
    assert watcher.changed_since(0)[-1].id == "s1"
