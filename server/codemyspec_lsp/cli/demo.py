"""`codemyspec demo [DIR]`: the example shop workspace and one full session, offline.

The session for the new context Orders uses the offline replay agent named in the
example's config, so the run shows generate -> failed validation with diagnostics ->
revise -> success without any AI service.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from codemyspec_lsp.cli.driver import EXIT_SUCCESS, EXIT_USAGE, RunOptions, run_session
from codemyspec_lsp.demo import workspace_files
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.session.service import SessionService

DEMO_CONTEXT = "Orders"
DEMO_DESIGN = Path("docs/design/shop/orders.md")
SKIPPED = ("__pycache__", "sessions", "blobs")  # state of a run, never part of the example


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="copy the example shop workspace and run a full session on it (offline)",
        description="Copies the example shop workspace to DIR (default: a new temporary "
        "folder) and runs a design session for the context Orders with the offline replay "
        "agent, which writes a flawed design first and the corrected one when asked.",
    )
    parser.add_argument("dir", metavar="DIR", nargs="?", type=Path, help="an empty folder")
    parser.set_defaults(handler=handle)


def copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.name.startswith(SKIPPED):
            continue
        if entry.is_dir():
            copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def prepare(directory: Path | None) -> Path | None:
    """The demo workspace, copied; None (after a message) when DIR is not usable."""
    if directory is None:
        target = Path(tempfile.mkdtemp(prefix="codemyspec-demo-"))
    else:
        target = directory.resolve()
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            print(f"error: {target} exists and is not an empty folder", file=sys.stderr)
            return None
    copy_tree(workspace_files(), target)
    return target


def latest_session_id(workspace: Path) -> str:
    """The id of the session the demo ran (the only one in its fresh workspace)."""
    try:
        sessions = SessionService(workspace).list_sessions()
    except CodeMySpecError:
        return "ID"
    return max(sessions, key=lambda s: s.updated_at).id if sessions else "ID"


def closing_words(workspace: Path) -> str:
    design = workspace / DEMO_DESIGN
    quoted = shlex.quote(str(workspace))
    return "\n".join(
        [
            "",
            f"workspace: {workspace}",
            f"design:    {design}",
            "",
            "Open it:",
            f"  VS Code:  code {quoted}",
            "            (with the CodeMySpec extension: diagnostics appear as you edit)",
            f"  Neovim:   cd {quoted} && nvim {shlex.quote(str(DEMO_DESIGN))}",
            "            (with the CodeMySpec plugin on the runtimepath)",
            "See what happened:",
            f"  codemyspec sessions --workspace {quoted}",
            f"  codemyspec show {latest_session_id(workspace)} --workspace {quoted}",
            f"  codemyspec validate {shlex.quote(str(design))}",
        ]
    )


def handle(args: argparse.Namespace) -> int:
    workspace = prepare(args.dir)
    if workspace is None:
        return EXIT_USAGE
    print(f"CodeMySpec demo: the example shop workspace is in {workspace}")
    print(
        f"A session designs the new context {DEMO_CONTEXT} with the OFFLINE REPLAY AGENT "
        "(no AI is called): it writes a design with mistakes first, then fixes them."
    )
    print()
    status = run_session(RunOptions(workspace=workspace, context=DEMO_CONTEXT, assume_yes=True))
    print(closing_words(workspace))
    if status != EXIT_SUCCESS:
        print(f"the demo session did not succeed (exit status {status})", file=sys.stderr)
    return status
