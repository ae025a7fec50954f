"""The Neovim plugin in a real headless Neovim 0.11: diagnostics, sessions, health, setups.

The harness (nvim_harness.py) runs each Lua scenario of scenarios/ in its own Neovim.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nvim_harness import (
    BROKEN_EXPECT,
    PLUGIN,
    SLEEPING_AGENT,
    find_nvim,
    health_report,
    readme_snippet,
    run_nvim,
    use_agent,
    workspace,
    write_broken,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from codemyspec_lsp.pgstore import location
from pg_cluster import pg_cluster, pg_project, pg_url, store_toml_for

pytestmark = pytest.mark.slow
__all__ = ["pg_cluster", "pg_project", "pg_url", "workspace"]


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


def test_checkhealth_reports_server_and_workspace(workspace: Path, tmp_path: Path) -> None:
    report = health_report(workspace, tmp_path, start_session=True)
    assert re.search(r"OK Neovim 0\.1\d\.\d+", report), report
    assert "OK server command:" in report
    assert re.search(r"OK server version: .*\d+\.\d+", report), report
    assert f"OK workspace: {workspace}" in report
    assert f"OK config: {workspace}/.codemyspec/config.toml" in report
    assert f"OK session store: {workspace}/.codemyspec/sessions.json" in report
    assert "OK the server reads the store: 1 session(s)" in report
    # The selected agent (the demo's replay agent, run by the server's interpreter) and the
    # store in use, as the server reports them.
    assert re.search(r"OK agent: custom \(.*python.*\) \d+\.\d+", report), report
    assert f"OK store: tinydb ({workspace}/.codemyspec/sessions.json)" in report, report
    assert "ERROR" not in report, report


def test_checkhealth_names_a_postgresql_store(
    workspace: Path, tmp_path: Path, pg_url: str, pg_project: str
) -> None:
    config = workspace / ".codemyspec" / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + store_toml_for(pg_url, pg_project), encoding="utf-8"
    )
    report = health_report(workspace, tmp_path, start_session=True)
    assert f"OK store: postgresql ({location(pg_url)})" in report, report
    assert "OK the server reads the store: 1 session(s)" in report, report
    assert "sessions.json" not in report, report
    assert "ERROR" not in report, report


def test_checkhealth_reports_a_damaged_store(workspace: Path, tmp_path: Path) -> None:
    store = workspace / ".codemyspec" / "sessions.json"
    store.write_text('{"_default": {"1": ', encoding="utf-8")  # truncated by a crash
    report = health_report(workspace, tmp_path, start_session=False)
    assert f"ERROR session store is not valid JSON: {store}" in report, report


def test_readme_plain_vim_lsp_enable_setup_works(workspace: Path, tmp_path: Path) -> None:
    design = write_broken(workspace)
    init = tmp_path / "init.lua"
    init.write_text(readme_snippet("### Plain `vim.lsp.enable`"), encoding="utf-8")
    proc = run_nvim("plain_enable.lua", workspace, tmp_path, {"CMS_TEST_FILE": str(design)}, init)
    assert "CMS111@11" in proc.stdout
    virtual = re.search(r"^VIRTUAL: (.*)$", proc.stdout, re.MULTILINE)
    assert virtual and "Component type" in virtual.group(1), proc.stdout


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
    (doc / "tags").unlink()
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
    # Shipped, so that :help works under every setup (no :helptags needed): and current.
    assert (PLUGIN / "doc" / "tags").read_text(encoding="utf-8") == tags, (
        "editors/nvim/doc/tags is out of date: "
        "run nvim --headless -c 'helptags editors/nvim/doc' -c q"
    )
    for tag in (
        "codemyspec-options",
        ":CodeMySpec-run",
        "codemyspec-health",
        "codemyspec-statusline",
    ):
        assert f"{tag}\t" in tags
