"""Before a session runs: is the selected agent installed? If not, say so and offer a choice.

The answer is read like every other answer of the driver (a terminal or piped lines):
``c`` continues anyway (the session will then fail at once, saying how to install it), an
agent's name runs this session with that preset instead (``--agent``), anything else or
no answer at all stops with exit status 2. With ``--yes`` the warning is printed and the
run continues.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from codemyspec_lsp.agents.argv import agent_spec
from codemyspec_lsp.agents.discovery import executable_of, list_agents, locate
from codemyspec_lsp.agents.presets import PRESETS
from codemyspec_lsp.cli.confirm import LineReader
from codemyspec_lsp.cli.display import Display
from codemyspec_lsp.workspace.config import load_config, with_agent_override

CONTINUE = ("c", "continue", "y", "yes")


@dataclass(frozen=True)
class AgentChoice:
    proceed: bool
    preset: str | None = None  # another preset for this run, or None to keep the config's


async def check_agent(
    root: Path,
    asked: str | None,
    display: Display,
    answers: LineReader,
    *,
    assume_yes: bool,
) -> AgentChoice:
    """``asked``: the ``--agent`` of the command line (None: the config's agent)."""
    config = with_agent_override(load_config(root)[0], asked)
    python = sys.executable
    spec = agent_spec(config.agent, python=python, root=root)
    executable = executable_of(spec, python)
    if locate(executable) is not None:
        return AgentChoice(True, asked)
    fix = f": install it with `{spec.preset.install}`" if spec.preset is not None else ""
    display.line(
        f"warning: the agent {spec.name} ({executable}) is not installed or not on PATH{fix}"
    )
    found = [
        agent
        for agent in list_agents(config, python=python, root=root)
        if agent["found"] and agent["name"] in PRESETS and agent["name"] != spec.name
    ]
    if found:
        names = ", ".join(f"{a['name']} {a['version'] or ''}".strip() for a in found)
        display.line(f"  installed agents: {names}")
    if assume_yes:
        display.line("  continuing (--yes): the session will fail at its first agent step")
        return AgentChoice(True, asked)
    display.prompt("  continue anyway [c], run with another agent [its name], or quit [Q]? ")
    answer = await answers.read_line()
    if answer is None:
        display.line("(end of input)")
    elif not display.tty:
        display.line(answer)  # echo piped answers so the log reads as a dialogue
    display.resume()
    choice = (answer or "").strip().lower()
    if choice in CONTINUE:
        return AgentChoice(True, asked)
    if choice in PRESETS:
        return AgentChoice(True, choice)
    display.line(
        "not started: install the agent, or choose one with `codemyspec run --agent NAME` "
        "or [agent] preset in .codemyspec/config.toml (see `codemyspec agents`)"
    )
    return AgentChoice(False)
