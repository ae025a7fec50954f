"""Entry point of ``codemyspec-mcp [--workspace DIR]``: the MCP server over stdio.

Without ``--workspace`` the workspace is the nearest folder at or above the current one
that holds ``.codemyspec/`` (an agent runs in the workspace), else the current folder.
The SDK is imported only after the flags are parsed, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from codemyspec_lsp import __version__

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codemyspec-mcp",
        description="CodeMySpec MCP server (stdio): validate_design, list_contexts, "
        "get_design, stories_for and rules_for for one workspace, read-only.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        type=Path,
        help="the workspace root (default: the nearest folder holding .codemyspec/)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from codemyspec_lsp.mcp_server.tools import find_workspace  # noqa: PLC0415

    if args.workspace is not None:
        root = args.workspace.resolve()
        if not root.is_dir():
            print(f"codemyspec-mcp: {args.workspace}: not a folder", file=sys.stderr)
            return USAGE_ERROR
    else:
        root = find_workspace(Path.cwd())

    from codemyspec_lsp.mcp_server.server import build_server  # noqa: PLC0415

    build_server(root).run("stdio")
    return 0
