"""Fixtures of the terminal driver tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import write_workspace


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    def make(timeout: int = 60, name: str = "ws") -> Path:
        return write_workspace(tmp_path / name, timeout)

    return make
