"""Helpers of the driver tests: workspaces with a fake agent, running `codemyspec` for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from codemyspec_lsp.session.service import SessionService

DATA = Path(__file__).parent / "data"
FAKE_AGENT = DATA / "fake_agent.py"
# `codemyspec` as a process, from the interpreter running the tests.
CODEMYSPEC = (sys.executable, "-m", "codemyspec_lsp.cli.main")

CONFIG = """\
[project]
name = "Shop"
module = "Shop"

[agent]
command = ["{{python}}", {agent}]
timeout_seconds = {timeout}

[environment]
setup = "none"
finalize = "none"
"""


def cli(*args: str, cwd: Path | None = None, stdin: str = "", timeout: float = 120):
    """Run `codemyspec ARGS` in a child process, as a person would; output as text."""
    env = {**os.environ, "CODEMYSPEC_REPLAY_DELAY": "0", "PYTHONUNBUFFERED": "1"}
    try:
        return subprocess.run(
            [*CODEMYSPEC, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:  # say where it stood, not just "timeout"
        raise AssertionError(
            f"codemyspec {' '.join(args)} still running after {timeout} s\n"
            f"stdout:\n{expired.stdout}\nstderr:\n{expired.stderr}"
        ) from expired


def write_workspace(root: Path, timeout: int = 60) -> Path:
    """A workspace whose agent is the fake agent of data/fake_agent.py."""
    (root / ".codemyspec").mkdir(parents=True)
    agent = '"' + str(FAKE_AGENT).replace("\\", "\\\\") + '"'
    (root / ".codemyspec" / "config.toml").write_text(
        CONFIG.format(agent=agent, timeout=timeout), encoding="utf-8"
    )
    return root


def one_complete_one_active(workspace: Path):
    """Run a session on Orders to the end and one on Payments declined at its first command;
    their summaries (complete, active)."""

    done = cli("run", "--context", "Orders", "--workspace", str(workspace), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    declined = cli("run", "--context", "Payments", "--workspace", str(workspace), stdin="n\n")
    assert declined.returncode == 1
    by_module = {s.context.module: s for s in SessionService(workspace).list_sessions()}
    return by_module["Shop.Orders"], by_module["Shop.Payments"]
