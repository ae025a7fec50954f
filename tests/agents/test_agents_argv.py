"""The argv the server builds: element by element, options before positionals, MCP inline."""

from __future__ import annotations

import json
from pathlib import Path

from codemyspec_lsp.agents.argv import agent_spec, build_call
from codemyspec_lsp.workspace.config import AgentConfig

PLACES = {"design_file": "docs/design/shop/orders.md", "branch": "b", "context": "Shop.Orders"}
PROMPT = 'Write "it"; rm -rf / && echo {design_file} $(whoami)\nsecond line'


def python_with_mcp(tmp_path: Path) -> str:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "codemyspec-mcp").write_text("#!/bin/sh\n")
    return str(bin_dir / "python")


def test_an_argument_prompt_is_one_element_never_expanded(tmp_path: Path) -> None:
    spec = agent_spec(AgentConfig(preset="aider"), python="/usr/bin/python3", root=tmp_path)
    call = build_call(spec, prompt=PROMPT, placeholders=PLACES)
    assert call.stdin is None
    assert call.argv[-3:] == ["--message", PROMPT, "docs/design/shop/orders.md"]


def test_a_stdin_prompt_and_extra_args_before_the_positionals(tmp_path: Path) -> None:
    config = AgentConfig(preset="codex", extra_args=["-m", "o3"])
    spec = agent_spec(config, python="/usr/bin/python3", root=tmp_path)
    call = build_call(spec, prompt=PROMPT, placeholders=PLACES, resume_id="t-1")
    assert call.stdin == PROMPT and call.resumed
    assert call.argv[-4:] == ["-m", "o3", "t-1", "-"]


def test_claude_gets_the_mcp_server_inline_and_its_tools_allowed(tmp_path: Path) -> None:
    python = python_with_mcp(tmp_path)
    spec = agent_spec(AgentConfig(preset="claude"), python=python, root=tmp_path)
    argv = build_call(spec, prompt="p", placeholders=PLACES, new_id="id-1").argv
    config = json.loads(argv[argv.index("--mcp-config") + 1])
    assert config == {
        "mcpServers": {
            "codemyspec": {
                "command": str(tmp_path / "venv" / "bin" / "codemyspec-mcp"),
                "args": ["--workspace", str(tmp_path.resolve())],
            }
        }
    }
    assert "--strict-mcp-config" in argv
    tools = argv[argv.index("--allowedTools") + 1].split(",")
    assert tools[:5] == ["Read", "Write", "Edit", "Glob", "Grep"]
    assert "mcp__codemyspec__validate_design" in tools and len(tools) == 10
    assert argv[argv.index("--session-id") + 1] == "id-1"


def test_codex_gets_the_mcp_server_as_config_overrides(tmp_path: Path) -> None:
    spec = agent_spec(AgentConfig(preset="codex"), python=python_with_mcp(tmp_path), root=tmp_path)
    argv = build_call(spec, prompt="p", placeholders=PLACES).argv
    overrides = [argv[i + 1] for i, a in enumerate(argv) if a == "-c"]
    assert overrides[0].startswith('mcp_servers.codemyspec.command="/')
    assert overrides[1] == f'mcp_servers.codemyspec.args=["--workspace", "{tmp_path.resolve()}"]'


def test_no_mcp_without_the_server_installed_or_with_self_check_off(tmp_path: Path) -> None:
    off = agent_spec(
        AgentConfig(preset="claude", self_check=False),
        python=python_with_mcp(tmp_path),
        root=tmp_path,
    )
    missing = agent_spec(AgentConfig(preset="claude"), python="/nowhere/python", root=tmp_path)
    for spec in (off, missing):
        assert "--mcp-config" not in build_call(spec, prompt="p", placeholders=PLACES).argv
        assert not spec.self_check


def test_a_custom_command_wins_and_runs_as_written(tmp_path: Path) -> None:
    config = AgentConfig(preset="codex", command=["my-agent", "{design_file}"])
    spec = agent_spec(config, python="/usr/bin/python3", root=tmp_path)
    call = build_call(spec, prompt=PROMPT, placeholders=PLACES, resume_id="x")
    assert (spec.name, call.argv, call.stdin, call.resumed) == (
        "custom",
        ["my-agent", "docs/design/shop/orders.md"],
        PROMPT,
        False,
    )
