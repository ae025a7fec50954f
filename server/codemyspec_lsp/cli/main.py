"""Entry point of `codemyspec`: one subcommand per module, each exposing `register`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module defines `register(subparsers) -> None`, adding its parser with
# `set_defaults(handler=fn)` where `fn(args) -> int` is the exit status.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "validate",
    "graph",
    "run",
    "sessions",
    "show",
    "demo",
    "agents",
    "store",
)

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codemyspec", description="Context design sessions and design validation."
    )
    subparsers = parser.add_subparsers(dest="subcommand", required=True)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"codemyspec_lsp.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.handler(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
