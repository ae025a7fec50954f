"""Entry point of `codemyspec-lsp`: parse the flags, set up logging, serve.

The server module is imported only after the flags are parsed, so `--version` and
`--help` answer at once and start-up pays only for what serving needs.
"""

from __future__ import annotations

import argparse
import gc
import logging
from collections.abc import Sequence

from codemyspec_lsp import __version__

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

# Python's default (700, 10, 10) ran a collection of the oldest generation every few dozen
# edits of a 5,000-line design, and each walked every object the server holds (the token
# chunks of the open designs, the architecture index): 50-60 ms landing in the middle of a
# burst of typing, and the burst settled 60-80 ms after its last edit. Collecting the
# youngest generation every 10,000 allocations instead of 700 lets short-lived objects die
# young, so few reach the oldest generation and its collections are rare (none in the
# benchmark's 150 edits); bench/lsp_bench.py and docs/performance.md show the effect.
GC_THRESHOLDS = (10_000, 50, 20)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codemyspec-lsp",
        description="CodeMySpec language server (stdio unless --tcp is given).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve over stdio (the default)")
    parser.add_argument("--tcp", action="store_true", help="serve over TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="TCP address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    parser.add_argument("--log-file", help="also write the log to this file")
    parser.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=LOG_LEVELS,
        help="the least severe level logged (default INFO)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    # After parsing: `--version` and `--help` need none of the server.
    from codemyspec_lsp.lsp.log import configure_logging
    from codemyspec_lsp.lsp.setup import create_server

    gc.set_threshold(*GC_THRESHOLDS)
    server = create_server()
    configure_logging(server, level=getattr(logging, args.log_level), log_file=args.log_file)
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0
