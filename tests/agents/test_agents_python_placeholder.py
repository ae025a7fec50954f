"""A custom agent run by `{python}` (the demo's replay agent) is found: it is the interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

from codemyspec_lsp.agents.discovery import list_agents, workspace_info
from codemyspec_lsp.workspace.config import load_config


def test_the_python_placeholder_is_the_servers_interpreter(tmp_path: Path) -> None:
    (tmp_path / ".codemyspec").mkdir()
    (tmp_path / ".codemyspec" / "config.toml").write_text(
        '[agent]\ncommand = ["{python}", "-m", "codemyspec_lsp.demo.replay_agent"]\n',
        encoding="utf-8",
    )
    config, problem = load_config(tmp_path)
    assert problem is None
    agent = workspace_info(config, python=sys.executable, root=tmp_path)["agent"]
    assert (agent["name"], agent["executable"], agent["found"]) == ("custom", sys.executable, True)
    assert agent["path"] == str(Path(sys.executable).absolute())  # as found, links kept
    (custom,) = [
        a for a in list_agents(config, python=sys.executable, root=tmp_path) if a["selected"]
    ]
    assert custom["found"] and custom["version"]
