"""`codemyspec store copy --to URL | --from URL`: sessions between the workspace's local
store and a PostgreSQL database, every session of the project, idempotently, verified."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from codemyspec_lsp.cli.store_access import EXIT_FAILED, EXIT_USAGE
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.store import TinyDBSessionRepository
from codemyspec_lsp.store.copy import copy_sessions
from codemyspec_lsp.store.describe import SESSIONS_FILE
from codemyspec_lsp.workspace.config import load_config


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "store", help="the session store: copy sessions to or from a PostgreSQL database"
    )
    actions = parser.add_subparsers(dest="store_action", required=True)
    copy = actions.add_parser(
        "copy",
        help="copy every session of the project between the local store and a database",
        description="Copy every session of the project (store.project, default project.name) "
        "between the workspace's local store (.codemyspec/sessions.json) and a PostgreSQL "
        "database. Idempotent: sessions already there unchanged are not written again. "
        "Both stores are compared afterwards. The URL needs no password: libpq reads "
        "PGPASSWORD, ~/.pgpass or a service file.",
    )
    way = copy.add_mutually_exclusive_group(required=True)
    way.add_argument("--to", metavar="URL", help="from the local store into this database")
    way.add_argument("--from", dest="source", metavar="URL", help="from this database")
    copy.add_argument("--project", help="default: store.project, else project.name")
    copy.add_argument(
        "--workspace", metavar="DIR", type=Path, default=Path.cwd(), help="default: ."
    )
    copy.set_defaults(handler=handle_copy)


def handle_copy(args: argparse.Namespace) -> int:
    from codemyspec_lsp.pgstore import PostgresSessionRepository, location  # noqa: PLC0415

    root = args.workspace.resolve()
    if not root.is_dir():
        print(f"error: workspace {root} is not a directory", file=sys.stderr)
        return EXIT_USAGE
    config, _ = load_config(root)
    project = args.project or config.store_project
    url = args.to or args.source
    local = TinyDBSessionRepository(root)
    database = PostgresSessionRepository(url, project)
    source, target = (local, database) if args.to else (database, local)
    here, there = str(root / SESSIONS_FILE), f"{location(url)} (project {project})"
    origin, destination = (here, there) if args.to else (there, here)
    try:
        report = copy_sessions(source, target)
    except CodeMySpecError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"copied {report.written} session(s) from {origin} to {destination}: "
        f"{len(report.created)} new, {len(report.replaced)} updated, "
        f"{report.unchanged} already there unchanged; "
        f"{report.verified} of {report.verified} verified equal in both stores"
    )
    return 0
