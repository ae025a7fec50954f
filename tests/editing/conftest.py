from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "design" / "data"


@pytest.fixture
def invalid_catalog() -> str:
    return (DATA / "invalid_catalog.md").read_text(encoding="utf-8")


@pytest.fixture
def valid_accounts() -> str:
    return (DATA / "valid_accounts.md").read_text(encoding="utf-8")
