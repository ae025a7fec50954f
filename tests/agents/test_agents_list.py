"""`codemyspec agents`: every preset, found or not, and the argv the server would run."""

from __future__ import annotations

import json
import os

from codemyspec_lsp.cli.main import main

PRESETS = ["claude", "codex", "gemini", "opencode", "qwen", "copilot", "aider"]
KEYS = {
    "name", "executable", "found", "path", "version", "selected", "argv", "promptOn",
    "resume", "selfCheck", "usage",
}  # fmt: skip


def run_agents(capsys, *args: str) -> tuple[int, str]:
    status = main(["agents", *args])
    return status, capsys.readouterr().out


def test_json_lists_the_seven_presets_with_the_found_one_and_its_version(
    fake_bin, agent_workspace, capsys
) -> None:
    fake_bin("claude", "codex")
    root = agent_workspace()
    status, out = run_agents(capsys, "--workspace", str(root), "--format", "json")
    assert status == 0
    agents = json.loads(out)
    assert [a["name"] for a in agents] == PRESETS
    assert all(set(a) == KEYS for a in agents)
    by_name = {a["name"]: a for a in agents}
    claude = by_name["claude"]
    assert (claude["found"], claude["version"], claude["selected"]) == (True, "9.8.7", True)
    assert claude["path"].endswith("/claude")
    assert claude["argv"]["generate"][:2] == ["claude", "-p"]
    assert claude["argv"]["revise"][:4] == ["claude", "-p", "--resume", "{agent_session}"]
    assert (claude["promptOn"], claude["resume"], claude["usage"]) == ("stdin", True, True)
    assert by_name["codex"]["found"] is True and by_name["codex"]["selected"] is False
    gemini = by_name["gemini"]
    assert (gemini["found"], gemini["path"], gemini["version"]) == (False, None, None)
    assert gemini["selfCheck"] is False
    assert by_name["copilot"]["promptOn"] == "argument"
    assert "{prompt}" in by_name["copilot"]["argv"]["generate"]
    assert by_name["aider"]["resume"] is False


def test_the_config_shapes_the_argv_extra_args_only_for_the_selected_preset(
    fake_bin, agent_workspace, capsys
) -> None:
    fake_bin()
    root = agent_workspace('preset = "codex"\nextra_args = ["-m", "o3"]\nresume = false\n')
    _, out = run_agents(capsys, "--workspace", str(root), "--format", "json")
    by_name = {a["name"]: a for a in json.loads(out)}
    codex = by_name["codex"]
    assert codex["selected"] is True
    # options before the positional prompt, the fresh argv for revise when resume is off
    assert codex["argv"]["generate"][-3:] == ["-m", "o3", "-"]
    assert codex["argv"]["revise"] == codex["argv"]["generate"]
    assert "-m" not in by_name["claude"]["argv"]["generate"]
    assert "--session-id" not in by_name["claude"]["argv"]["generate"]


def test_a_custom_command_is_listed_as_selected(fake_bin, agent_workspace, capsys) -> None:
    fake_bin()
    root = agent_workspace('command = ["my-agent", "--go", "{design_file}"]\n')
    _, out = run_agents(capsys, "--workspace", str(root), "--format", "json")
    agents = json.loads(out)
    assert [a["name"] for a in agents if a["selected"]] == ["custom"]
    custom = agents[-1]
    assert custom["argv"]["generate"] == ["my-agent", "--go", "{design_file}"]
    assert (custom["found"], custom["promptOn"]) == (False, "stdin")


def test_text_marks_the_selected_agent_and_says_where_self_check_cannot_go(
    fake_bin, agent_workspace, capsys
) -> None:
    fake_bin("claude")
    status, out = run_agents(capsys, "--workspace", str(agent_workspace()))
    assert status == 0
    assert out.splitlines()[1].split()[:4] == ["*", "claude", "yes", "9.8.7"]
    assert "gemini reads MCP servers only from settings.json" in out
    assert "install: npm install -g @openai/codex" in out
    assert not [line for line in out.splitlines() if line.lstrip().startswith(("{", "["))]


def test_a_version_is_asked_once_per_install_and_remembered(fake_bin, tmp_path) -> None:
    from codemyspec_lsp.agents import discovery

    claude = fake_bin("claude") / "claude"
    assert discovery.version_of(str(claude)) == "9.8.7"
    remembered = json.loads(discovery.version_cache_file().read_text())
    assert list(remembered.values()) == ["9.8.7"]
    discovery._versions.clear()  # a new process: the file answers, the CLI is not asked
    claude.write_text(claude.read_text().replace("9.8.7", "0.0.0"))  # same size
    os.utime(claude, ns=(claude.stat().st_atime_ns, int(next(iter(remembered)).rsplit(":", 1)[1])))
    assert discovery.version_of(str(claude)) == "9.8.7"
