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


FAKE_CLAUDE = """#!{python}
import sys
if "--version" in sys.argv:
    print("2.1.197 (Claude Code)")
    sys.exit(0)
from codemyspec_lsp.demo.replay_agent import main
code = main([])
sys.stdout.flush()
with open({recorded!r}, encoding="utf-8") as recorded:
    sys.stdout.write(recorded.read())
sys.exit(code)
"""


def test_a_claude_session_shows_readable_output_and_usage_on_the_timeline(
    workspace: Path, tmp_path: Path
) -> None:
    bin_dir = fake_claude(tmp_path)
    (bin_dir / "claude").write_text(
        FAKE_CLAUDE.format(python=sys.executable, recorded=str(RECORDED / "claude-stream.jsonl")),
        encoding="utf-8",
    )
    config = workspace / ".codemyspec" / "config.toml"
    text = re.sub(r"(?m)^command = .*$", 'preset = "claude"', config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    path = f"{bin_dir}{os.pathsep}{VENV_BIN}{os.pathsep}/usr/bin:/bin"
    proc = run_nvim("usage.lua", workspace, tmp_path, path=path)
    live = between(proc.stdout, "LIVE:\n", "END LIVE")
    assert live.count("done: success · 4 turns · $0.0123") == 2, live
    assert "→ Write /ws/docs/design/shop/orders.md" in live, live
    assert '{"type"' not in live, live
    timeline = between(proc.stdout, "TIMELINE:\n", "END TIMELINE")
    usages = json.loads(between(proc.stdout, "USAGE: ", "\n"))
    assert len(usages) == 2 and usages[0]["costUsd"] == 0.0123, usages  # what the server read
    for u in usages:
        per_step = (
            f"- usage: claude {u['model']}: {u['inputTokens']} in / {u['outputTokens']} out "
            f"tokens, ${u['costUsd']:.4f}, {u['turns']} turns"
        )
        assert per_step in timeline, timeline
    total = (
        f"- usage (2 agent steps): {sum(u['inputTokens'] for u in usages)} in / "
        f"{sum(u['outputTokens'] for u in usages)} out tokens, "
        f"${sum(u['costUsd'] for u in usages):.4f}, {sum(u['turns'] for u in usages)} turns"
    )
    assert total in timeline, timeline
