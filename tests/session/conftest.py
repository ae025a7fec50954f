"""Fixtures of the engine tests: a workspace on disk, an in-memory store, a service."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from codemyspec_lsp.session.service import SessionService  # noqa: E402
from fakes.memory_repository import InMemoryRepository  # noqa: E402

FAKE_AGENT = TESTS / "fakes" / "fake_agent.py"


def write_config(root: Path, body: str) -> None:
    (root / ".codemyspec").mkdir(parents=True, exist_ok=True)
    (root / ".codemyspec" / "config.toml").write_text(body, encoding="utf-8")


FAKE_AGENT_CONFIG = f"""
[project]
name = "Shop"
description = "An online shop selling handmade goods."

[agent]
command = ["{{python}}", "{FAKE_AGENT.as_posix()}"]
timeout_seconds = 60

[environment]
setup = "none"
"""


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
