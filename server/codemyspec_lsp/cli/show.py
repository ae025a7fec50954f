"""`codemyspec show ID`: a session's timeline, one block per interaction."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from codemyspec_lsp.cli.store_access import with_service
from codemyspec_lsp.cli.usage_text import describe_usage, session_total, usage_of
from codemyspec_lsp.session.models import Interaction, Session

MAX_ERROR_LINES = 20


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "show", help="print the timeline of a design session"
    )
    parser.add_argument("session_id", metavar="ID")
    parser.add_argument(
        "--workspace", metavar="DIR", type=Path, default=Path.cwd(), help="default: ."
    )
    parser.set_defaults(handler=handle)


def describe_command(interaction: Interaction) -> str:
    command = interaction.command
    if command.kind == "noop" or not command.argv:
        return command.kind
    return f"{command.kind}: {shlex.join(command.argv)}"


def interaction_lines(interaction: Interaction) -> list[str]:
    result = interaction.result
    if result is None:
        status, duration = "pending", ""
    else:
        status = result.status
        duration = f"  {result.duration_ms / 1000:.1f} s" if result.duration_ms is not None else ""
    lines = [
        f"#{interaction.seq:<3} {interaction.step:<24} {status:<8}{duration}",
        f"     {describe_command(interaction)}",
    ]
    usage = usage_of(interaction)
    if usage is not None and describe_usage(usage):
        lines.append(f"     usage: {describe_usage(usage)}")
    failure = (result.data or {}).get("failure") if result is not None else None
    if isinstance(failure, dict) and failure.get("message"):
        lines.append(f"     failure ({failure.get('kind')}): {failure['message']}")
    if result is not None and result.error_message:
        errors = result.error_message.splitlines()
        lines += [f"     | {line}" for line in errors[:MAX_ERROR_LINES]]
        if len(errors) > MAX_ERROR_LINES:
            lines.append(f"     | ... {len(errors) - MAX_ERROR_LINES} more")
    return lines


def render(session: Session) -> str:
    head = [
        f"session {session.id}",
        f"  context  {session.context.module} ({session.context.name})",
        f"  design   {session.context.design_file}",
        f"  status   {session.status}, {session.environment}, {session.execution_mode}",
        f"  created  {session.created_at:%Y-%m-%d %H:%M:%S}, "
        f"updated {session.updated_at:%Y-%m-%d %H:%M:%S}",
        "",
    ]
    outcome = session.state.get("outcome")
    if isinstance(outcome, dict) and outcome.get("reason") and session.status != "complete":
        head.insert(-1, f"  reason   {outcome['reason']}")
    total = session_total(session)
    if total:
        head.insert(-1, f"  usage    {total}")
    body = [line for i in session.interactions for line in interaction_lines(i)]
    return "\n".join(head + (body or ["no interactions yet"]))


def handle(args: argparse.Namespace) -> int:
    output = with_service(
        args.workspace.resolve(), lambda service: render(service.get_session(args.session_id))
    )
    if isinstance(output, int):
        return output
    print(output)
    return 0
