"""`codemyspec run`: drive a design session through a real server from the terminal."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from codemyspec_lsp.agents.presets import PRESET_NAMES

EPILOG = """\
before the session starts, a selected agent that is not installed is named with how to
install it, and you are asked to continue anyway, pick another agent, or quit (no answer,
e.g. stdin closed: quit with status 2; --yes: continue).

exit status: 0 the session succeeded; 1 it failed or was cancelled, or a command was
declined or not confirmed (end of input), leaving the session resumable; 2 usage error
or the agent is missing and you quit;
130 interrupted with Ctrl-C: the running command was stopped and reported as an error,
and `codemyspec run --session ID` resumes the session.
"""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run",
        help="run a context design session through the server",
        description="Start (or resume) a context design session and run each of its "
        "commands, asking before each one unless --yes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--context", metavar="NAME", help="the context to design, e.g. Orders")
    target.add_argument("--session", metavar="ID", help="resume this session")
    parser.add_argument(
        "--workspace", metavar="DIR", type=Path, default=Path.cwd(), help="default: ."
    )
    parser.add_argument("--description", metavar="TEXT", help="what the context is for")
    parser.add_argument(
        "--agent",
        metavar="NAME",
        choices=PRESET_NAMES,
        help="run the agent steps with this preset instead of the config's "
        f"({', '.join(PRESET_NAMES)})",
    )
    parser.add_argument("-y", "--yes", action="store_true", help="run every command without asking")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    # Here, not at the top: the driver brings the LSP client (lsprotocol's types alone cost
    # about 0.6 s of CPU), which every other subcommand would pay for at start-up.
    from codemyspec_lsp.cli.driver import RunOptions, run_session  # noqa: PLC0415

    return run_session(
        RunOptions(
            workspace=args.workspace.resolve(),
            context=args.context,
            description=args.description,
            session_id=args.session,
            assume_yes=args.yes,
            agent=args.agent,
        )
    )
