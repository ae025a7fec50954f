"""The real Claude Code CLI (pinned, installed by real_clis into the cache) takes the MCP
configuration the server builds for self-check, and can really talk to codemyspec-mcp.

No login is needed for either: Claude Code checks `--mcp-config` before its login (an
invalid one ends "Invalid MCP configuration", a valid one reaches "Not logged in"), and
`claude mcp get` health-checks a configured server by starting it and shaking hands.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from real_clis import PINS, install

from codemyspec_lsp.demo import workspace_files
from codemyspec_lsp.session.models import CommandStep, ResultInput, StartSessionParams
from codemyspec_lsp.session.service import SessionService

pytestmark = pytest.mark.slow

CONFIG = """
[project]
name = "Shop"

[agent]
preset = "claude"
self_check = true

[environment]
setup = "none"
"""


def copy_tree(source, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


@pytest.fixture(scope="module")
def claude() -> Path:
    [pin] = [p for p in PINS if p.preset == "claude"]
    return install(pin)


def claude_env(home: Path) -> dict[str, str]:
    """A throwaway HOME and no credentials of the person running the tests."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANTHROPIC_", "CLAUDE_")) and k not in ("HOME", "XDG_CONFIG_HOME")
    }
    return {**env, "HOME": str(home), "NO_COLOR": "1"}


def run(argv: list[str], cwd: Path, home: Path, stdin: str = "") -> str:
    done = subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=claude_env(home),
        timeout=120,
        check=False,
    )
    return done.stdout + done.stderr


def generate_step(workspace: Path) -> CommandStep:
    """The generate step exactly as the server builds it for this workspace."""
    service = SessionService(workspace)
    session = service.start_session(StartSessionParams(context="Orders"))
    init = service.next_step(session.id)
    service.report_result(session.id, init.interaction_id, ResultInput(status="ok"))
    step = service.next_step(session.id)
    assert isinstance(step, CommandStep) and step.command.step == "generate_context_design"
    return step


def test_claude_accepts_the_self_check_argv_and_connects_to_codemyspec_mcp(
    claude: Path, tmp_path: Path
):
    workspace = tmp_path / "shop"
    copy_tree(workspace_files(), workspace)
    (workspace / ".codemyspec" / "config.toml").write_text(CONFIG, encoding="utf-8")
    command = generate_step(workspace).command
    argv = command.argv
    assert argv[0] == "claude" and "--mcp-config" in argv
    mcp_config = argv[argv.index("--mcp-config") + 1]

    # The whole argv, run by the real CLI: past the MCP configuration to the login.
    home = tmp_path / "home"
    home.mkdir()
    out = run([str(claude), *argv[1:]], Path(command.cwd), home, command.stdin or "")
    assert "Invalid MCP configuration" not in out, out
    assert "Not logged in" in out, out

    # The same server entry, health-checked by the real CLI: it starts codemyspec-mcp.
    entry = json.loads(mcp_config)["mcpServers"]["codemyspec"]
    broken = {**entry, "args": ["--workspace", str(tmp_path / "no-such-folder")]}
    for name, value in (("codemyspec", entry), ("broken", broken)):
        added = run(
            [str(claude), "mcp", "add-json", "-s", "user", name, json.dumps(value)],
            workspace,
            home,
        )
        assert f"Added stdio MCP server {name}" in added, added
    good = run([str(claude), "mcp", "get", "codemyspec"], workspace, home)
    assert "Connected" in good and "Failed" not in good, good
    # A server that exits at once (its workspace does not exist) is told apart.
    bad = run([str(claude), "mcp", "get", "broken"], workspace, home)
    assert "Failed to connect" in bad, bad
    shutil.rmtree(home, ignore_errors=True)
