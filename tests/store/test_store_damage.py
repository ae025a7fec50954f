"""A damaged store file is reported with its path and left exactly as it was."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from store_helpers import append_interaction, append_to_state, new_session

from codemyspec_lsp.session.errors import StoreUnavailable
from codemyspec_lsp.store import TinyDBSessionRepository

_new_ids = itertools.count(3)


def reframe(raw: bytes, edit: Callable[[dict], None]) -> bytes:
    """The file with its JSON edited and a checksum that matches: valid, but wrong records."""
    data = orjson.loads(raw)
    data.pop("_integrity")
    edit(data)
    body = orjson.dumps(data)
    digest = hashlib.sha256(body).hexdigest()
    return b'{"_integrity":{"sha256":"' + digest.encode() + b'"},' + body[1:]


def set_index_status(data: dict) -> None:
    next(iter(data["sessions"].values()))["status"] = "exploded"


def set_session_status(data: dict) -> None:
    data["session"]["1"]["session"]["status"] = "exploded"


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "truncated-tail": lambda raw: raw[:-1],
    "empty": lambda raw: b"",
    "not-json": lambda raw: b"this is not JSON\n",
    "hand-edited": lambda raw: raw.replace(b'"Accounts"', b'"Accountz"'),
    "plain-tinydb": lambda raw: orjson.dumps({"_default": {}}),
}


def make_store(root: Path) -> None:
    repo = TinyDBSessionRepository(root)
    repo.create(new_session("s1"))
    repo.update("s1", append_interaction("p" * 10_000))
    repo.create(new_session("s2"))
    repo.create(new_session("done", status="complete"))


def attempt_everything(root: Path) -> list[StoreUnavailable]:
    """Every operation through a fresh repository; returns the StoreUnavailable errors."""
    repo = TinyDBSessionRepository(root)
    operations: list[Callable[[], object]] = [
        lambda: repo.get("s1"),
        lambda: repo.list(),
        lambda: repo.stamp(),
        lambda: repo.changed_since(0),
        lambda: repo.update("s1", append_to_state("items", "x")),
        lambda: repo.update("s2", append_to_state("items", "x")),
        lambda: repo.create(new_session(f"s{next(_new_ids)}")),
    ]
    errors = []
    for operation in operations:
        try:
            operation()
        except StoreUnavailable as exc:
            errors.append(exc)
    return errors


def damage_and_check(root: Path, target: Path, damage: Callable[[bytes], bytes]) -> None:
    damaged = damage(target.read_bytes())
    target.write_bytes(damaged)

    errors = attempt_everything(root)

    assert errors, "the damaged file was read as if it were fine"
    for error in errors:
        assert str(target) in error.message
        assert "Move it aside" in error.message
    assert target.read_bytes() == damaged


@pytest.mark.parametrize("index_name", ["sessions.json", "sessions-finished.json"])
@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_index_is_reported_and_left_as_it_is(
    tmp_path: Path, damage, index_name: str
) -> None:
    make_store(tmp_path)
    index = tmp_path / ".codemyspec" / index_name
    damage_and_check(tmp_path, index, damage)
    # Everything that needs the index refuses; only get() of a session file still works.
    assert len(attempt_everything(tmp_path)) == 6


def test_an_index_record_that_does_not_validate_is_reported(tmp_path: Path) -> None:
    make_store(tmp_path)
    index = tmp_path / ".codemyspec" / "sessions.json"
    damage_and_check(tmp_path, index, lambda raw: reframe(raw, set_index_status))


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_session_file_is_reported_and_left_as_it_is(tmp_path: Path, damage) -> None:
    make_store(tmp_path)
    session_file = tmp_path / ".codemyspec" / "sessions" / "s1.json"
    damage_and_check(tmp_path, session_file, damage)
    # Only s1's get and update refuse; the other session and the index still work.
    assert len(attempt_everything(tmp_path)) == 2


def test_a_session_record_that_does_not_validate_is_reported(tmp_path: Path) -> None:
    make_store(tmp_path)
    session_file = tmp_path / ".codemyspec" / "sessions" / "s1.json"
    damage_and_check(tmp_path, session_file, lambda raw: reframe(raw, set_session_status))


def test_a_damaged_blob_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    make_store(tmp_path)
    (blob,) = (tmp_path / ".codemyspec" / "blobs").iterdir()
    blob.write_bytes(b"p" * 10)

    with pytest.raises(StoreUnavailable) as caught:
        TinyDBSessionRepository(tmp_path).get("s1")
    assert str(blob) in caught.value.message
    assert blob.read_bytes() == b"p" * 10


@pytest.mark.parametrize("index_name", ["sessions.json", "sessions-finished.json"])
def test_an_index_moved_aside_is_rebuilt_from_the_session_files(
    tmp_path: Path, index_name: str
) -> None:
    make_store(tmp_path)
    before = [(s.id, s.status) for s in TinyDBSessionRepository(tmp_path).list()]
    index = tmp_path / ".codemyspec" / index_name
    index.write_bytes(b"garbage")
    assert len(attempt_everything(tmp_path)) == 6
    index.rename(index.with_suffix(".damaged"))  # what the message tells the user to do

    repo = TinyDBSessionRepository(tmp_path)
    assert [(s.id, s.status) for s in repo.list()] == before
    assert attempt_everything(tmp_path) == []
