"""Fixtures of the terminal driver tests."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import write_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pg_cluster import pg_cluster, pg_project, pg_url

__all__ = ["pg_cluster", "pg_project", "pg_url"]


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    def make(timeout: int = 60, name: str = "ws") -> Path:
        return write_workspace(tmp_path / name, timeout)

    return make
