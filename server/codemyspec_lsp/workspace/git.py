"""The two questions the git-branch setup asks of a workspace; read-only git calls."""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_TIMEOUT_SECONDS = 10


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git installed, or it hung: treat as "not a git repository"


def is_git_worktree(root: Path) -> bool:
    done = _git(root, "rev-parse", "--is-inside-work-tree")
    return done is not None and done.returncode == 0 and done.stdout.strip() == "true"


def branch_exists(root: Path, branch: str) -> bool:
    done = _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return done is not None and done.returncode == 0
