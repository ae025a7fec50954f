"""`codemyspec demo [DIR]`: the example shop workspace and one full session, offline.

The session for the new context Orders uses the offline replay agent named in the
example's config, so the run shows generate -> failed validation with diagnostics ->
revise -> success without any AI service.

``--self-check`` gives the replay agent the CodeMySpec MCP server: it validates its own
design over MCP and fixes it before it stops, so the session needs no revise round. The
plain variant then runs quietly in a scratch folder and both revise counts are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemyspec_lsp.cli.display import Display
from codemyspec_lsp.demo import workspace_files
from codemyspec_lsp.demo.replay_agent import DELAY_ENV
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.session.service import SessionService

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+; importlib.abc works on 3.10
    from importlib.abc import Traversable

DEMO_CONTEXT = "Orders"
DEMO_DESIGN = Path("docs/design/shop/orders.md")
SKIPPED = ("__pycache__", "sessions", "blobs")  # state of a run, never part of the example
REPLAY_MODULE = '"codemyspec_lsp.demo.replay_agent"'
SELF_CHECK_FLAG = '"--self-check"'


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="copy the example shop workspace and run a full session on it (offline)",
        description="Copies the example shop workspace to DIR (default: a new temporary "
        "folder) and runs a design session for the context Orders with the offline replay "
        "agent, which writes a flawed design first and the corrected one when asked.",
    )
    parser.add_argument("dir", metavar="DIR", nargs="?", type=Path, help="an empty folder")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="the agent validates its own design over MCP (codemyspec-mcp) before it stops; "
        "the plain variant runs quietly beside it for comparison",
    )
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


def enable_self_check(workspace: Path) -> None:
    """Turn the demo's replay agent into the self-checking one (its config's argv)."""
    config = workspace / ".codemyspec" / "config.toml"
    text = config.read_text(encoding="utf-8")
    if REPLAY_MODULE not in text:
        raise ValueError(f"{config} does not run the offline replay agent")
    config.write_text(
        text.replace(REPLAY_MODULE, f"{REPLAY_MODULE}, {SELF_CHECK_FLAG}", 1), encoding="utf-8"
    )


def revise_rounds(workspace: Path) -> int:
    """How many times the demo's session sent the agent back to revise its design."""
    session = SessionService(workspace).get_session(latest_session_id(workspace))
    return sum(1 for interaction in session.interactions if interaction.step == "revise_design")


@contextlib.contextmanager
def environment(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def plain_revise_rounds() -> int | None:
    """The plain demo, run quietly and fast in a scratch folder: its revise rounds."""
    from codemyspec_lsp.cli.driver import EXIT_SUCCESS, RunOptions, run_session  # noqa: PLC0415

    scratch = prepare(None)
    if scratch is None:
        return None
    try:
        with environment(DELAY_ENV, "0"):
            status = run_session(
                RunOptions(workspace=scratch, context=DEMO_CONTEXT, assume_yes=True),
                Display(io.StringIO(), tty=False),
            )
        return revise_rounds(scratch) if status == EXIT_SUCCESS else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def handle(args: argparse.Namespace) -> int:
    # The driver (the LSP client) is imported here, not at the top: see cli/run.py.
    from codemyspec_lsp.cli.driver import (  # noqa: PLC0415
        EXIT_SUCCESS,
        EXIT_USAGE,
        RunOptions,
        run_session,
    )

    workspace = prepare(args.dir)
    if workspace is None:
        return EXIT_USAGE
    print(f"CodeMySpec demo: the example shop workspace is in {workspace}")
    print(
        f"A session designs the new context {DEMO_CONTEXT} with the OFFLINE REPLAY AGENT "
        "(no AI is called): it writes a design with mistakes first, then fixes them."
    )
    if args.self_check:
        enable_self_check(workspace)
        print(
            "Self-check: the agent validates its own design with the codemyspec MCP server "
            "(codemyspec-mcp) and fixes it before it stops."
        )
    print()
    status = run_session(RunOptions(workspace=workspace, context=DEMO_CONTEXT, assume_yes=True))
    print(closing_words(workspace))
    if status != EXIT_SUCCESS:
        print(f"the demo session did not succeed (exit status {status})", file=sys.stderr)
        return status
    rounds = revise_rounds(workspace)
    print()
    if args.self_check:
        print("Running the plain demo (no self-check) quietly for comparison...")
        plain = plain_revise_rounds()
        shown = "?" if plain is None else str(plain)
        print(f"revise rounds: plain {shown}, self-check {rounds}")
    else:
        print(
            f"revise rounds: plain {rounds} "
            "(`codemyspec demo --self-check`: the agent checks its own design over MCP)"
        )
    return status
