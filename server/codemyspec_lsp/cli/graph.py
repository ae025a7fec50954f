"""`codemyspec graph [--workspace DIR] [--format mermaid|dot|json]`: the context graph.

architecture.md: JSON with contexts, edges, cycles and undesigned dependencies; exit
status 0, 1 when the graph has a cycle, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from codemyspec_lsp.architecture.index import workspace_index
from codemyspec_lsp.architecture.render import dot, graph_json, mermaid
from codemyspec_lsp.cli.validate import workspace_root
from codemyspec_lsp.workspace.config import load_config

OK = 0
HAS_CYCLE = 1
USAGE_ERROR = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "graph",
        help="print the context graph of a workspace",
        description="Print the context graph: a node per design, an edge per dependency on "
        "another designed context. Exit status 1 when the contexts depend on each other "
        "in a cycle.",
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="the workspace folder (default: the folder holding .codemyspec/ above the "
        "current one, else the current folder)",
    )
    parser.add_argument("--format", choices=("mermaid", "dot", "json"), default="mermaid")
    parser.set_defaults(handler=run)


def find_workspace(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.codemyspec/``; else ``start``."""
    return workspace_root(start) or start.resolve()


def run(args: argparse.Namespace) -> int:
    root = args.workspace if args.workspace is not None else find_workspace(Path.cwd())
    if not root.is_dir():
        print(f"codemyspec graph: {root}: not a directory", file=sys.stderr)
        return USAGE_ERROR
    config, problem = load_config(root)
    if problem is not None:
        print(f"codemyspec graph: {problem.message}", file=sys.stderr)
    index = workspace_index(root, config)
    index.load()
    graph = index.graph()
    if args.format == "json":
        text = orjson.dumps(graph_json(graph), option=orjson.OPT_INDENT_2).decode() + "\n"
    elif args.format == "dot":
        text = dot(graph)
    else:
        text = mermaid(graph)
    sys.stdout.write(text)
    return HAS_CYCLE if graph.cycles() else OK
