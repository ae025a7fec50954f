"""`codemyspec agents`: every agent preset, whether it is installed, and the argv it runs."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from codemyspec_lsp.agents.discovery import list_agents
from codemyspec_lsp.agents.presets import PRESETS
from codemyspec_lsp.workspace.config import load_config


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "agents",
        help="list the agent presets: installed or not, version, the argv each runs",
        description="List every agent preset, whether its executable is on PATH, its "
        "version, and the argv the server builds for this workspace's config.",
    )
    parser.add_argument(
        "--workspace", metavar="DIR", type=Path, default=Path.cwd(), help="default: ."
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=handle)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def render_text(agents: list[dict[str, Any]]) -> str:
    lines = [f"  {'agent':<9} {'found':<6} {'version':<10} resume usage self-check  path"]
    for agent in agents:
        mark = "*" if agent["selected"] else " "
        lines.append(
            f"{mark} {agent['name']:<9} {_yes(agent['found']):<6} {agent['version'] or '-':<10} "
            f"{_yes(agent['resume']):<6} {_yes(agent['usage']):<5} {_yes(agent['selfCheck']):<11} "
            f"{agent['path'] or '-'}"
        )
    lines += ["", "* selected ([agent] preset or command in .codemyspec/config.toml)"]
    for agent in agents:
        lines += ["", f"{agent['name']} (prompt on {agent['promptOn']}):"]
        lines.append(f"  generate: {shlex.join(agent['argv']['generate'])}")
        lines.append(f"  revise:   {shlex.join(agent['argv']['revise'])}")
        preset = PRESETS.get(agent["name"])
        if preset is not None and preset.mcp_note:
            lines.append(f"  self-check: not on the command line: {preset.mcp_note}")
        if not agent["found"] and preset is not None:
            lines.append(f"  install: {preset.install}")
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    root = args.workspace.resolve()
    if not root.is_dir():
        print(f"error: workspace {root} is not a directory", file=sys.stderr)
        return 2
    config, problem = load_config(root)
    if problem is not None:
        print(f"warning: {problem.message}", file=sys.stderr)
    agents = list_agents(config, python=sys.executable, root=root)
    print(json.dumps(agents, indent=2) if args.format == "json" else render_text(agents))
    return 0
