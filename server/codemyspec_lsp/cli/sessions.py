"""`codemyspec sessions`: the sessions of a workspace as a table."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from codemyspec_lsp.cli import prune
from codemyspec_lsp.cli.store_access import with_service
from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.session.service import SessionService

HEADERS = ("ID", "CONTEXT", "STATUS", "STEP", "UPDATED")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sessions", help="list the design sessions of a workspace"
    )
    parser.add_argument(
        "--workspace", metavar="DIR", type=Path, default=Path.cwd(), help="default: ."
    )
    parser.add_argument("--status", choices=get_args(SessionStatus), help="only these")
    parser.set_defaults(handler=handle)
    actions = parser.add_subparsers(dest="action", metavar="{prune}")
    prune.register(actions)


def latest_step(service: SessionService, session: Session) -> str:
    """The step of the session's latest interaction (the list omits interactions)."""
    try:
        full = service.get_session(session.id)
    except CodeMySpecError:
        return "?"
    return full.interactions[-1].step if full.interactions else "-"


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def render(service: SessionService, status: SessionStatus | None) -> str:
    sessions = sorted(service.list_sessions(status), key=lambda s: s.updated_at, reverse=True)
    if not sessions:
        return "no sessions" + (f" with status {status}" if status else "")
    rows: list[tuple[str, ...]] = [HEADERS]
    rows += [
        (
            s.id,
            s.context.module,
            s.status,
            latest_step(service, s),
            s.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
        for s in sessions
    ]
    return table(rows)


def handle(args: argparse.Namespace) -> int:
    output = with_service(args.workspace.resolve(), lambda service: render(service, args.status))
    if isinstance(output, int):
        return output
    print(output)
    return 0
