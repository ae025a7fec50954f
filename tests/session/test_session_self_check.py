"""Self-check wiring (agents.md): with `agent.self_check`, the agent gets codemyspec-mcp on its
command line and the generate and revise prompts ask it to validate its file before it stops."""

from __future__ import annotations

import json
from pathlib import Path

from codemyspec_lsp.agents.presets import MCP_TOOLS
from codemyspec_lsp.demo.replay_agent import render_design
from codemyspec_lsp.mcp_server.server import TOOL_NAMES
from codemyspec_lsp.session.models import CommandStep, ResultInput, StartSessionParams

CLAUDE = """
[project]
name = "Shop"

[agent]
preset = "claude"
resume = false
self_check = {self_check}

[environment]
setup = "none"
"""
ASK = "call the `validate_design` tool of the `codemyspec` MCP server"


def write_config(root: Path, body: str) -> None:
    (root / ".codemyspec" / "config.toml").write_text(body, encoding="utf-8")


def agent_steps(make_service, workspace: Path) -> tuple[CommandStep, CommandStep]:
    """The generate step, then (after a flawed design failed validation) the revise step."""
    service = make_service()
    session = service.start_session(StartSessionParams(context="Orders"))
    init = service.next_step(session.id)
    service.report_result(session.id, init.interaction_id, ResultInput(status="ok"))
    generate = service.next_step(session.id)
    assert isinstance(generate, CommandStep)
    design = workspace / "docs/design/shop/orders.md"
    design.parent.mkdir(parents=True, exist_ok=True)
    design.write_text(render_design("flawed", "Shop.Orders"), encoding="utf-8")
    service.report_result(session.id, generate.interaction_id, ResultInput(status="ok"))
    validate = service.next_step(session.id)
    assert isinstance(validate, CommandStep) and validate.command.step == "validate_design"
    service.report_result(session.id, validate.interaction_id, ResultInput(status="ok"))
    revise = service.next_step(session.id)
    assert isinstance(revise, CommandStep) and revise.command.step == "revise_design"
    return generate, revise


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_self_check_gives_claude_the_server_and_asks_for_validation(make_service, workspace):
    write_config(workspace, CLAUDE.format(self_check="true"))
    for step in agent_steps(make_service, workspace):
        argv = step.command.argv
        server = json.loads(option(argv, "--mcp-config"))["mcpServers"]["codemyspec"]
        # The installed codemyspec-mcp of this very environment, for this workspace.
        assert Path(server["command"]).is_absolute() and Path(server["command"]).is_file()
        assert Path(server["command"]).name == "codemyspec-mcp"
        assert server["args"] == ["--workspace", str(workspace.resolve())]
        allowed = option(argv, "--allowedTools").split(",")
        assert {f"mcp__codemyspec__{tool}" for tool in TOOL_NAMES} <= set(allowed)
        prompt = step.command.stdin or ""
        assert ASK in prompt, step.command.step
        assert '{"path": "docs/design/shop/orders.md"}' in prompt


def test_without_self_check_there_is_no_server_and_no_request(make_service, workspace):
    write_config(workspace, CLAUDE.format(self_check="false"))
    for step in agent_steps(make_service, workspace):
        assert "--mcp-config" not in step.command.argv
        assert "validate_design` tool" not in (step.command.stdin or "")


def test_the_presets_name_exactly_the_tools_the_server_serves():
    assert tuple(MCP_TOOLS) == TOOL_NAMES
