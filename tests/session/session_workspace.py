"""The engine tests' workspace config (a fake agent, no environment set-up) and its writer.

A module of its own, not conftest.py: test modules import these by name, and `conftest` is
a different module in each test folder (a run of several folders would import the wrong one).
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
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
