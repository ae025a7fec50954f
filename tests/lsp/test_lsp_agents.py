"""codemyspec/listAgents and codemyspec/workspaceInfo: what an editor shows of the agent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from codemyspec_lsp import __version__, protocol

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "fakes"))
from fake_cli import install_fake  # noqa: E402

AGENT_CONFIG = '[project]\nname = "Shop"\n\n[environment]\nsetup = "none"\n'


async def test_agents_and_workspace_info(tmp_path: Path, open_client, call_either_way, monkeypatch):
    bin_dir = tmp_path / "bin"
    install_fake(bin_dir, "claude")
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]))
    root = tmp_path / "shop"
    (root / ".codemyspec").mkdir(parents=True)
    (root / ".codemyspec" / "config.toml").write_text(AGENT_CONFIG, encoding="utf-8")
    async with open_client(root) as client:
        listed = await call_either_way(client, protocol.LIST_AGENTS, {})
        names = [agent["name"] for agent in listed["agents"]]
        assert names == ["claude", "codex", "gemini", "opencode", "qwen", "copilot", "aider"]
        claude = listed["agents"][0]
        assert (claude["selected"], claude["found"], claude["version"]) == (True, True, "9.8.7")
        info = await call_either_way(
            client, protocol.WORKSPACE_INFO, {"workspaceUri": root.as_uri()}
        )
        assert info == {
            "version": __version__,
            "workspace": str(root.resolve()),
            "agent": {
                "name": "claude",
                "executable": "claude",
                "found": True,
                "path": str((bin_dir / "claude").resolve()),
                "version": "9.8.7",
            },
            "store": {
                "kind": "tinydb",
                "location": str(root.resolve() / ".codemyspec" / "sessions.json"),
            },
        }
