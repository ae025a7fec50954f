"""Fixtures of the engine tests: a workspace on disk, an in-memory store, a service."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from session_workspace import FAKE_AGENT_CONFIG, write_config  # noqa: E402

from codemyspec_lsp.session.service import SessionService  # noqa: E402
from fakes.memory_repository import InMemoryRepository  # noqa: E402


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    write_config(root, FAKE_AGENT_CONFIG)
    return root


@pytest.fixture
def repository() -> InMemoryRepository:
    return InMemoryRepository()


@pytest.fixture
def make_service(workspace: Path, repository: InMemoryRepository) -> Callable[..., SessionService]:
    def make(**kwargs: object) -> SessionService:
        kwargs.setdefault("repository", repository)
        return SessionService(workspace, **kwargs)  # type: ignore[arg-type]

    return make
