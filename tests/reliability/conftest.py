"""`store_toml`: the reliability tests run on both stores (TinyDB files, PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pg_cluster import pg_cluster, pg_project, pg_url, store_toml_for

__all__ = ["pg_cluster", "pg_project", "pg_url"]


@pytest.fixture(params=["tinydb", "postgresql"])
def store_toml(request: pytest.FixtureRequest) -> str:
    """The `[store]` table of the workspace config: empty, or the test database with a
    project of the test's own."""
    if request.param == "tinydb":
        return ""
    return store_toml_for(request.getfixturevalue("pg_url"), request.getfixturevalue("pg_project"))
