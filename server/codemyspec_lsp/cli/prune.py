"""`codemyspec sessions prune`: delete finished sessions and the stored texts only they used."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

from codemyspec_lsp.cli.store_access import EXIT_USAGE, with_service
from codemyspec_lsp.protocol import SessionStatus
from codemyspec_lsp.store.repository import FINISHED, PruneReport

_AGE = re.compile(r"(\d+)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_FINISHED_ORDER = ("complete", "failed", "cancelled")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "prune",
        help="delete finished sessions and every stored text no session refers to",
        description=(
            "Delete finished sessions (never active ones), then every stored text no "
            "remaining session refers to, and print what was freed."
        ),
    )
    # SUPPRESS: `sessions --workspace DIR prune` keeps the DIR given before `prune`.
    parser.add_argument(
        "--workspace", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="default: ."
    )
    parser.add_argument(
        "--status",
        dest="prune_status",
        metavar="LIST",
        default=",".join(_FINISHED_ORDER),
        help="comma-separated finished statuses (default: complete,failed,cancelled)",
    )
    parser.add_argument(
        "--older-than",
        metavar="AGE",
        help="only sessions last updated longer ago than AGE: a number and s, m, h, d or w "
        "(30d is thirty days)",
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would go; delete nothing")
    parser.set_defaults(handler=handle)


def parse_statuses(text: str) -> list[SessionStatus]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    wrong = [name for name in names if name not in FINISHED]
    if wrong or not names:
        raise ValueError(
            f"--status takes finished statuses ({', '.join(_FINISHED_ORDER)}); "
            f"active sessions are never pruned, got {text!r}"
        )
    return [cast(SessionStatus, name) for name in names]


def parse_age(text: str) -> timedelta:
    match = _AGE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"--older-than takes a number and a unit (30d, 12h, 2w), got {text!r}")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def size(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KiB", "MiB"):
        if value < 1024 or unit == "MiB":
            return f"{count} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"  # pragma: no cover - the loop returns


def render(report: PruneReport) -> str:
    verb = "would delete" if report.dry_run else "deleted"
    lines = [f"{verb} {len(report.sessions)} session(s)" + (":" if report.sessions else "")]
    lines += [f"  {session_id}" for session_id in report.sessions]
    lines.append(
        f"{'would free' if report.dry_run else 'freed'} {size(report.freed_bytes)}: "
        f"{len(report.sessions)} session file(s) ({size(report.session_bytes)}), "
        f"{report.blobs} stored text(s) no session refers to ({size(report.blob_bytes)})"
    )
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    try:
        statuses = parse_statuses(args.prune_status)
        age = None if args.older_than is None else parse_age(args.older_than)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    before = None if age is None else datetime.now(timezone.utc) - age
    output = with_service(
        args.workspace.resolve(),
        lambda service: render(service.prune_sessions(statuses, before, dry_run=args.dry_run)),
    )
    if isinstance(output, int):
        return output
    print(output)
    return 0
