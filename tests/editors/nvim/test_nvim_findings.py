"""Issue 15's Neovim findings, each in a real headless Neovim: what the person is told.

Each test failed before the fix it names and passes after (see the scenario's header).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from nvim_harness import REPO, readme_snippet, run_nvim, use_agent, workspace

pytestmark = pytest.mark.slow
__all__ = ["workspace"]


def python_without_the_server(tmp_path: Path) -> Path:
    """A virtual environment whose python3 cannot import codemyspec_lsp (a fresh machine)."""
    venv = tmp_path / "bare"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    probe = subprocess.run(
        [str(venv / "bin" / "python3"), "-c", "import codemyspec_lsp"],
        capture_output=True,
        check=False,
    )
    assert probe.returncode != 0, "the bare environment can import the server"
    return venv / "bin"


def report_of(stdout: str) -> str:
    return stdout.split("REPORT:\n", 1)[1].split("END REPORT", 1)[0]


def test_readme_setup_without_the_server_installed_says_why_and_how_to_fix(
    workspace: Path, tmp_path: Path
) -> None:
    bare = python_without_the_server(tmp_path)
    init = tmp_path / "init.lua"
    init.write_text(readme_snippet("### Plain `vim.lsp.enable`"), encoding="utf-8")
    proc = run_nvim(
        "server_down.lua",
        workspace,
        tmp_path,
        {"CMS_TEST_SETUP": "readme"},
        init,
        path=f"{bare}:/usr/bin:/bin",
    )
    interpreter = str(bare / "python3")
    refused = re.findall(r"^REFUSED (.*)$", proc.stdout, re.MULTILINE)
    assert len(refused) == 5, proc.stdout
    for line in refused:
        assert f"{interpreter}: No module named codemyspec_lsp" in line, line
        assert f"{interpreter} -m pip install -e {REPO}" in line, line
    report = report_of(proc.stdout)
    assert (
        "ERROR python3 -m codemyspec_lsp cannot start the server: "
        f"{interpreter}: No module named codemyspec_lsp"
    ) in report, report
    assert f"install the server into that interpreter: {interpreter} -m pip install -e {REPO}" in (
        report
    ), report
    assert "OK server command" not in report, report


def test_a_missing_server_command_is_an_error_everywhere(workspace: Path, tmp_path: Path) -> None:
    proc = run_nvim("server_down.lua", workspace, tmp_path, {"CMS_TEST_SETUP": "missing"})
    for line in re.findall(r"^REFUSED (.*)$", proc.stdout, re.MULTILINE):
        assert "/nonexistent/bin/codemyspec-lsp is not found" in line, line
    report = report_of(proc.stdout)
    assert "ERROR server command /nonexistent/bin/codemyspec-lsp not found" in report, report
    assert f"so that /nonexistent/bin/codemyspec-lsp is on PATH: pip install -e {REPO}" in (
        report
    ), report


def test_step_mode_says_each_outcome_and_offers_the_revision(
    workspace: Path, tmp_path: Path
) -> None:
    proc = run_nvim("step_mode.lua", workspace, tmp_path)
    assert "PASS: step mode" in proc.stdout
    assert re.search(r"^TOLD: .*validate_design failed: \d+ errors in ", proc.stdout, re.M)


def test_start_checks_the_name_and_asks_before_redesigning(workspace: Path, tmp_path: Path) -> None:
    proc = run_nvim("start_checks.lua", workspace, tmp_path)
    assert "PASS: start checks" in proc.stdout


def test_an_agent_that_cannot_start_fails_the_session_with_its_reason(
    workspace: Path, tmp_path: Path
) -> None:
    use_agent(workspace, '["codemyspec-no-such-agent", "-p"]', 60)
    proc = run_nvim("failing_agent.lua", workspace, tmp_path)
    assert "PASS: failure told" in proc.stdout
    warned = re.search(r"^WARNED: (.*)$", proc.stdout, re.MULTILINE)
    assert warned and "codemyspec-no-such-agent is not found on PATH" in warned.group(1)
    codes = re.search(r"^CODES: (.*)$", proc.stdout, re.MULTILINE)
    assert codes and set(codes.group(1).split()) == {"127"}, proc.stdout
    reason = re.search(r"^REASON: (.*)$", proc.stdout, re.MULTILINE)
    assert reason and "codemyspec-no-such-agent" in reason.group(1), proc.stdout


def test_the_fix_restores_a_heading_deleted_in_the_middle_above_its_paragraph(
    workspace: Path, tmp_path: Path
) -> None:
    design = workspace / "docs" / "design" / "shop" / "catalog.md"
    text = design.read_text(encoding="utf-8")
    whole = tmp_path / "whole.md"
    whole.write_text(text, encoding="utf-8")
    assert "## State Management Strategy\nProducts and stock" in text
    design.write_text(text.replace("## State Management Strategy\n", "", 1), encoding="utf-8")
    proc = run_nvim(
        "quick_fix.lua",
        workspace,
        tmp_path,
        {"CMS_TEST_FILE": str(design), "CMS_TEST_WHOLE": str(whole)},
    )
    assert "PASS: quick fix" in proc.stdout
    for what in ("THE QUICK FIX", "FIX ALL"):
        codes = re.search(rf"^{what} CODES: (.*)$", proc.stdout, re.MULTILINE)
        assert codes and "CMS101" not in codes.group(1), proc.stdout
