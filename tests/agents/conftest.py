"""Fixtures of the agent tests: a PATH holding only fake CLIs, a workspace with a config."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS, TESTS / "fakes"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fake_cli import install_fake  # noqa: E402


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """``fake_bin("claude", ...)``: those fake CLIs, and nothing else of the presets, on PATH."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # versions remembered here
    system = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PATH", os.pathsep.join([str(folder), *_without_agents(system)]))

    def install(*names: str) -> Path:
        for name in names:
            install_fake(folder, name)
        return folder

    return install


def _without_agents(folders: list[str]) -> list[str]:
    names = ("claude", "codex", "gemini", "opencode", "qwen", "copilot", "aider")
    return [f for f in folders if not any((Path(f) / n).exists() for n in names)]


@pytest.fixture
def agent_workspace(tmp_path: Path) -> Callable[[str], Path]:
    def make(agent_section: str = "") -> Path:
        root = tmp_path / "shop"
        (root / ".codemyspec").mkdir(parents=True, exist_ok=True)
        config = '[project]\nname = "Shop"\n\n[environment]\nsetup = "none"\n\n[agent]\n'
        (root / ".codemyspec" / "config.toml").write_text(config + agent_section, encoding="utf-8")
        return root

    return make
