"""Run a server ``Command`` the way a client does (argv, never a shell) and build its result."""

from __future__ import annotations

import os
import subprocess
import time

from codemyspec_lsp.session.models import Command, ResultInput


def run_command(command: Command) -> ResultInput:
    if command.kind == "noop":
        return ResultInput(status="ok")
    started = time.monotonic()
    done = subprocess.run(
        command.argv,
        cwd=command.cwd,
        input=command.stdin,
        env={**os.environ, **command.env},
        capture_output=True,
        text=True,
        timeout=command.timeout_ms / 1000,
        check=False,
    )
    return ResultInput(
        status="ok" if done.returncode == 0 else "error",
        code=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
