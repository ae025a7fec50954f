"""Reading sessions for `sessions` and `show` straight from the workspace's store.

No server is needed: SessionService reads the same crash-safe store the server writes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from codemyspec_lsp.session.errors import CodeMySpecError, SessionNotFound
from codemyspec_lsp.session.service import SessionService

EXIT_FAILED = 1
EXIT_USAGE = 2

T = TypeVar("T")


def with_service(workspace: Path, action: Callable[[SessionService], T]) -> T | int:
    """Run ``action`` on the workspace's service; on an error print it and return the status."""
    if not workspace.is_dir():
        print(f"error: workspace {workspace} is not a directory", file=sys.stderr)
        return EXIT_USAGE
    try:
        return action(SessionService(workspace))
    except SessionNotFound as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except CodeMySpecError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_FAILED
