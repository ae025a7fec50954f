"""codemyspec/listAgents and codemyspec/workspaceInfo: what an editor shows of the agent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from lsp_harness import request

from codemyspec_lsp import __version__, protocol

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "fakes"))
from fake_cli import install_fake  # noqa: E402

AGENT_CONFIG = '[project]\nname = "Shop"\n\n[environment]\nsetup = "none"\n'


async def test_agents_and_workspace_info(tmp_path: Path, open_client, call_either_way, monkeypatch):
    bin_dir = tmp_path / "bin"
    install_fake(bin_dir, "claude")
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
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
                "path": str(bin_dir / "claude"),
                "version": "9.8.7",
            },
            "store": {
                "kind": "tinydb",
                "location": str(root.resolve() / ".codemyspec" / "sessions.json"),
            },
        }


async def test_an_unknown_preset_is_a_config_problem_like_any_other(tmp_path: Path, open_client):
    from lsp_harness import eventually, pushed

    root = tmp_path / "shop"
    (root / ".codemyspec").mkdir(parents=True)
    text = AGENT_CONFIG + '\n[agent]\npreset = "clod"\n'
    (root / ".codemyspec" / "config.toml").write_text(text, encoding="utf-8")
    async with open_client(root) as client:
        config_uri = (root / ".codemyspec" / "config.toml").as_uri()
        await eventually(lambda: pushed(client, config_uri))
        assert pushed(client, config_uri) == [
            ("config", text.splitlines().index('preset = "clod"'))
        ]
        assert any("unknown agent preset 'clod'" in m.message for m in client.messages)
        listed = await request(client, protocol.LIST_AGENTS, {})
        assert [a["name"] for a in listed["agents"] if a["selected"]] == ["claude"]
