"""`codemyspec run` with preset agents (fake CLIs on PATH): what the person reads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from cli_helpers import cli

from codemyspec_lsp.session.service import SessionService

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fakes"))
from fake_cli import install_fake

CONFIG = """\
[project]
name = "Shop"

[agent]
preset = "claude"

[environment]
setup = "none"
"""


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A workspace whose agent is claude, and ``install(*names)`` of fake CLIs on PATH."""
    root = tmp_path / "shop"
    (root / ".codemyspec").mkdir(parents=True)
    (root / ".codemyspec" / "config.toml").write_text(CONFIG, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    system = ["/usr/local/bin", "/usr/bin", "/bin"]
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), *system]))

    def install(*names: str) -> Path:
        for name in names:
            install_fake(bin_dir, name)
        return root

    return install


def sessions(root: Path):
    service = SessionService(root)
    return [service.get_session(s.id) for s in service.list_sessions()]


def test_a_claude_session_reads_as_text_with_its_outcomes_and_usage(shop) -> None:
    root = shop("claude")
    run = cli("run", "--context", "Orders", "--workspace", str(root), "--yes")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "│ agent session " in out and "· model fake-model" in out
    assert "│ Wrote it." in out
    assert "│ done: success · 2 turns · $0.2500" in out
    assert not [line for line in out.splitlines() if line.lstrip("│ ").startswith("{")]
    assert "usage: 1,000 tokens in, 200 out · $0.2500 · 2 turns · model fake-model" in out
    assert "validation failed: 3 error(s) in " in out
    assert "next: the agent is asked to fix them (revise_design)" in out
    assert out.count("finished: success") == 1
    assert "usage: 2,000 tokens in, 400 out · $0.5000 · 4 turns over 2 agent step(s)" in out

    [session] = sessions(root)
    shown = cli("show", session.id, "--workspace", str(root))
    assert shown.returncode == 0
    assert shown.stdout.count("usage: 1,000 tokens in, 200 out · $0.2500 · 2 turns") == 2
    assert "  usage    2,000 tokens in, 400 out · $0.5000 · 4 turns over 2 agent step(s)" in (
        shown.stdout
    )


def test_a_failed_session_says_its_reason(shop, monkeypatch) -> None:
    root = shop("claude")
    monkeypatch.setenv("FAKE_CLI_MODE", "auth")
    run = cli("run", "--context", "Orders", "--workspace", str(root), "--yes")
    assert run.returncode == 1
    assert "claude is not logged in or its key was refused: run `claude` once" in run.stdout
    assert run.stdout.count("finished: failed") == 1
    assert "reason: claude is not logged in" in run.stdout
    assert "tried again" not in run.stdout
    shown = cli("show", sessions(root)[0].id, "--workspace", str(root))
    assert "  reason   claude is not logged in" in shown.stdout
    assert "failure (auth): claude is not logged in" in shown.stdout


def test_a_missing_agent_is_named_before_anything_runs(shop) -> None:
    root = shop()  # nothing installed
    run = cli("run", "--context", "Orders", "--workspace", str(root), stdin="")
    assert run.returncode == 2
    assert (
        "warning: the agent claude (claude) is not installed or not on PATH: "
        "install it with `npm install -g @anthropic-ai/claude-code`"
    ) in run.stdout
    assert "not started: install the agent, or choose one with `codemyspec run --agent NAME`" in (
        run.stdout
    )
    assert sessions(root) == []


def test_another_installed_agent_can_be_picked_for_the_run(shop) -> None:
    root = shop("codex")
    run = cli("run", "--context", "Orders", "--workspace", str(root), stdin="codex\ny\ny\n")
    assert "installed agents: codex 9.8.7" in run.stdout
    assert run.returncode == 0, run.stdout + run.stderr
    [session] = sessions(root)
    agents = [i.command for i in session.interactions if i.command.kind == "agent"]
    assert [c.argv[:2] for c in agents] == [["codex", "exec"], ["codex", "exec"]]
    assert agents[1].argv[2] == "resume"


def test_with_yes_a_missing_agent_fails_the_session_at_once_saying_how_to_install(shop) -> None:
    root = shop()
    run = cli("run", "--context", "Orders", "--workspace", str(root), "--yes")
    assert run.returncode == 1
    assert "continuing (--yes)" in run.stdout
    assert "reason: claude is not installed or not on PATH: install it with" in run.stdout
    [session] = sessions(root)
    [agent_run] = [i for i in session.interactions if i.command.kind == "agent"]
    assert agent_run.result.code == 127
