"""Agents in Neovim (issue 13): live output shown by the server's rule, agents listed and
chosen, the selected agent and the store in :checkhealth."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from nvim_harness import PLUGIN, REPO, VENV_BIN, run_nvim, workspace

from codemyspec_lsp.agents.render import LiveRenderer

pytestmark = pytest.mark.slow
__all__ = ["workspace"]

RECORDED = REPO / "tests" / "agents" / "data"
CASES = {
    "claude-stream-json": "claude-stream.jsonl",
    "codex-jsonl": "codex.jsonl",
    "gemini-stream-json": "gemini-stream.jsonl",
    "opencode-jsonl": "opencode.jsonl",
    "copilot-jsonl": "copilot.jsonl",
    "aider-text": "aider.txt",
}


def server_lines(output: str, text: str) -> list[str]:
    renderer = LiveRenderer(output)
    shown = [line for raw in text.splitlines() for line in renderer.feed(raw)]
    return shown + renderer.finish()


def test_live_agent_output_in_neovim_is_the_servers_rendering(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rendered.json"
    pairs = {f"{output}={RECORDED / name}": (output, name) for output, name in CASES.items()}
    run_nvim(
        "render.lua",
        workspace,
        tmp_path,
        {
            "CMS_TEST_CASES": ",".join(pairs),
            "CMS_TEST_OUT": str(out),
            "CMS_TEST_PLUGIN": str(PLUGIN),
        },
    )
    rendered = json.loads(out.read_text(encoding="utf-8"))
    for pair, (output, name) in pairs.items():
        expected = server_lines(output, (RECORDED / name).read_text(encoding="utf-8"))
        assert rendered[pair] == expected, name
        assert not [line for line in rendered[pair] if line.lstrip().startswith("{")], name


def fake_claude(tmp_path: Path) -> Path:
    """A `claude` on PATH that answers --version like the real CLI (it is never run else)."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    script = bin_dir / "claude"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nprint('2.1.197 (Claude Code)')\n", encoding="utf-8"
    )
    script.chmod(0o755)
    return bin_dir


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_agents_are_listed_chosen_and_checked_before_a_session(
    workspace: Path, tmp_path: Path
) -> None:
    fake = fake_claude(tmp_path)
    path = f"{fake}{os.pathsep}{VENV_BIN}{os.pathsep}/usr/bin:/bin"
    proc = run_nvim("agents.lua", workspace, tmp_path, path=path)
    listed = between(proc.stdout, "LISTED:\n", "END LISTED").splitlines()
    assert "writes [agent] preset" in listed[0]
    rows = {row.split()[0].lstrip("*").strip() or row.split()[1]: row for row in listed[1:]}
    assert re.search(r"claude\s+found 2\.1\.197\s+" + re.escape(str(fake)), rows["claude"])
    assert "not found (codex is not on PATH)" in rows["codex"]
    # Found ones first.
    found = [i for i, row in enumerate(listed[1:]) if " found " in f" {row} "]
    assert found == list(range(len(found)))
    config = between(proc.stdout, "CONFIG:\n", "END CONFIG")
    assert re.search(r'^\[agent\]\npreset = "codex"$', config, re.M), config
    assert re.search(r"^# command = ", config, re.M), config
    warned = re.search(r"^WARNED: (.*)$", proc.stdout, re.M)
    assert warned and "codex: codex is not found on PATH" in warned.group(1), proc.stdout
    report = between(proc.stdout, "REPORT:\n", "END REPORT")
    assert re.search(r"OK agent: claude \(claude\) 2\.1\.197 .*fakebin/claude", report), report
    store = workspace / ".codemyspec" / "sessions.json"
    assert f"OK store: tinydb ({store})" in report, report
