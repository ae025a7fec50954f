"""Sessions as stored records: large texts moved to blobs, store bookkeeping alongside.

A session file holds ``{"revision", "changedSeq", "session"}``; the index holds one
``{"id", "status", "createdAt", "revision", "changedSeq", "summary" | "summaryBlob"}``
per session.
An interaction whose texts were moved out carries ``"blobs": {"result.stdout": digest}``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol, get_args

import orjson
from pydantic import ValidationError

from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.store.files import damaged

_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Texts longer than this (in characters) live in blobs, not in the JSON records.
INLINE_LIMIT = 2048
# A summary longer than this (serialised) lives in a blob, keeping the index small.
SUMMARY_LIMIT = 4096
_BLOB_FIELDS: tuple[tuple[str, ...], ...] = (
    ("command", "stdin"),
    ("command", "metadata", "prompt"),
    ("result", "stdout"),
    ("result", "stderr"),
    ("result", "errorMessage"),
)
_STATUSES = frozenset(get_args(SessionStatus))


class TextBlobs(Protocol):
    """Where large texts go (files beside the TinyDB store, or a table in PostgreSQL)."""

    def put(self, text: str) -> str:
        """Keep ``text``; its digest names it in the record."""
        ...

    def get(self, digest: str, named_by: Path) -> str:
        """The text of ``digest``, named by the record at ``named_by`` (for errors)."""
        ...


def check_session_id(session_id: object) -> str:
    """``session_id`` if it is safe as a file name; SessionNotFound otherwise."""
    if not isinstance(session_id, str) or not _SAFE_ID.fullmatch(session_id):
        raise SessionNotFound(str(session_id)[:100])
    return session_id


# -- sessions -----------------------------------------------------------------------------------


def encode_session(session: Session, blobs: TextBlobs) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stored form of ``session`` and its summary; refuses what would not read back."""
    stored = session.dump()
    try:
        Session.model_validate(stored)
    except ValidationError as exc:
        raise CodeMySpecError(
            f"refusing to store an invalid session {session.id!r}: {exc}"
        ) from exc
    summary = {key: value for key, value in stored.items() if key != "interactions"}
    stored["interactions"] = [_externalise(item, blobs) for item in stored["interactions"]]
    return stored, summary


def decode_session(stored: Any, blobs: TextBlobs, path: Path) -> Session:
    if not isinstance(stored, dict) or not isinstance(stored.get("interactions", []), list):
        raise damaged(path, "holds a session record of the wrong shape")
    # A private copy: the change function may mutate what it gets, and ``stored`` is
    # shared with the read cache (which must keep what is on disk if the change fails).
    restored = orjson.loads(orjson.dumps(stored))
    restored["interactions"] = [
        _restore(item, blobs, path) for item in stored.get("interactions", [])
    ]
    return _validate(restored, path)


def session_record(stored: dict[str, Any], revision: int, seq: int) -> dict[str, Any]:
    return {"revision": revision, "changedSeq": seq, "session": stored}


def parse_session_record(record: Any, path: Path) -> tuple[dict[str, Any], int, int]:
    """(stored session, revision, changedSeq) of a session file's record."""
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("session"), dict)
        or not _is_count(record.get("revision"))
        or not _is_count(record.get("changedSeq"))
    ):
        raise damaged(path, "holds a session record of the wrong shape")
    return record["session"], record["revision"], record["changedSeq"]


# -- index records --------------------------------------------------------------------------------


def index_record(
    summary: dict[str, Any], revision: int, seq: int, blobs: TextBlobs
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": summary["id"],
        "status": summary["status"],
        "createdAt": summary["createdAt"],
        "revision": revision,
        "changedSeq": seq,
        "summary": summary,
        "summaryBlob": None,
    }
    text = orjson.dumps(summary)
    if len(text) > SUMMARY_LIMIT:
        record["summary"] = None
        record["summaryBlob"] = blobs.put(text.decode("utf-8"))
    return record


def check_index_record(record: Any, path: Path) -> dict[str, Any]:
    """``record`` if its bookkeeping fields are sound (the summary is checked when decoded)."""
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("id"), str)
        or not _SAFE_ID.fullmatch(record["id"])
        or record.get("status") not in _STATUSES
        or not isinstance(record.get("createdAt"), str)
        or not _is_count(record.get("revision"))
        or not _is_count(record.get("changedSeq"))
        or not (
            isinstance(record.get("summary"), dict) or isinstance(record.get("summaryBlob"), str)
        )
    ):
        raise damaged(path, f"holds an index record of the wrong shape: {str(record)[:200]}")
    return record


def decode_summary(record: dict[str, Any], blobs: TextBlobs, path: Path) -> Session:
    summary = record["summary"]
    if summary is None:
        try:
            summary = orjson.loads(blobs.get(record["summaryBlob"], path))
        except orjson.JSONDecodeError as exc:
            raise damaged(path, f"names a summary blob that is not JSON ({exc})") from exc
    if not isinstance(summary, dict) or summary.get("id") != record["id"]:
        raise damaged(path, f"holds a summary that does not match its record {record['id']!r}")
    return _validate({**orjson.loads(orjson.dumps(summary)), "interactions": []}, path)


# -- helpers ---------------------------------------------------------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _validate(data: dict[str, Any], path: Path) -> Session:
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        raise damaged(path, f"holds a session that does not validate: {exc}") from exc


def _externalise(interaction: dict[str, Any], blobs: TextBlobs) -> dict[str, Any]:
    refs: dict[str, str] = {}
    for field_path in _BLOB_FIELDS:
        parent = _parent(interaction, field_path)
        if parent is None:
            continue
        value = parent.get(field_path[-1])
        if isinstance(value, str) and len(value) > INLINE_LIMIT:
            refs[".".join(field_path)] = blobs.put(value)
            del parent[field_path[-1]]
    if refs:
        interaction["blobs"] = refs
    return interaction


def _restore(interaction: Any, blobs: TextBlobs, path: Path) -> Any:
    if not isinstance(interaction, dict) or "blobs" not in interaction:
        return interaction
    refs = interaction["blobs"]
    if not isinstance(refs, dict):
        raise damaged(path, "holds an interaction with malformed blob references")
    restored = {key: value for key, value in interaction.items() if key != "blobs"}
    for field_path in _BLOB_FIELDS:
        digest = refs.get(".".join(field_path))
        if digest is None:
            continue
        parent = restored
        for key in field_path[:-1]:
            child = parent.get(key)
            if not isinstance(child, dict):
                raise damaged(path, "holds an interaction whose blob reference has no parent")
            parent = child
        parent[field_path[-1]] = blobs.get(digest, path)
    return restored


def _parent(data: dict[str, Any], field_path: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = data
    for key in field_path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None
