"""`store_root`: a workspace whose store is TinyDB or PostgreSQL (each test runs on both)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pg_cluster import pg_cluster, pg_project, pg_url, store_toml_for

__all__ = ["pg_cluster", "pg_project", "pg_url"]


@pytest.fixture(params=["tinydb", "postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_root(tmp_path: Path, store_kind: str, request: pytest.FixtureRequest) -> Path:
    """A workspace folder; with postgresql its config names the test database and a
    project of its own, so ``open_repository(store_root)`` opens that store."""
    if store_kind == "postgresql":
        url, project = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_project")
        (tmp_path / ".codemyspec").mkdir()
        (tmp_path / ".codemyspec" / "config.toml").write_text(store_toml_for(url, project))
    return tmp_path
