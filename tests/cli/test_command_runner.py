"""Running a session Command: argv, stdin, env, cwd, exit codes, timeout and interrupt."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from codemyspec_lsp.cli.command_runner import run_command
from codemyspec_lsp.session.models import Command


def command(tmp_path: Path, code: str, **fields) -> Command:
    return Command(
        id="c1",
        step="generate_context_design",
        kind="agent",
        argv=[sys.executable, "-c", code],
        cwd=str(tmp_path),
        description="test",
        **fields,
    )


async def run(cmd: Command, interrupted: asyncio.Event | None = None):
    lines: list[tuple[str, str]] = []
    outcome = await run_command(
        cmd, lambda s, t: lines.append((s, t)), interrupted or asyncio.Event()
    )
    return outcome, lines


async def test_stdin_env_and_cwd_reach_the_command_and_output_streams(tmp_path):
    code = (
        "import os, sys; print(sys.stdin.read().upper()); print(os.environ['X_TEST']);"
        "print(os.getcwd()); print('oops', file=sys.stderr)"
    )
    outcome, lines = await run(command(tmp_path, code, stdin="hello", env={"X_TEST": "42"}))
    assert outcome.result.status == "ok"
    assert outcome.result.code == 0
    assert outcome.result.stdout == f"HELLO\n42\n{tmp_path}\n"
    assert ("stdout", "HELLO") in lines
    assert ("stderr", "oops") in lines


async def test_argv_elements_are_not_interpreted_by_a_shell(tmp_path):
    cmd = command(tmp_path, "import sys; print(sys.argv[1])")
    cmd.argv.append("$(touch pwned); `id`")
    outcome, _ = await run(cmd)
    assert outcome.result.stdout == "$(touch pwned); `id`\n"
    assert not (tmp_path / "pwned").exists()


async def test_a_non_zero_exit_is_an_error(tmp_path):
    outcome, _ = await run(command(tmp_path, "raise SystemExit(3)"))
    assert outcome.result.status == "error"
    assert outcome.result.code == 3
    assert "exited with code 3" in (outcome.result.error_message or "")


async def test_a_missing_program_is_an_error_not_a_crash(tmp_path):
    cmd = command(tmp_path, "")
    cmd.argv[:] = [str(tmp_path / "no-such-agent")]
    outcome, _ = await run(cmd)
    assert outcome.result.status == "error"
    assert "cannot start" in (outcome.result.error_message or "")


async def test_the_timeout_stops_the_command(tmp_path):
    code = "import time; print('begun', flush=True); time.sleep(60)"
    outcome, lines = await run(command(tmp_path, code, timeout_ms=500))
    assert outcome.result.status == "error"
    assert "timed out" in (outcome.result.error_message or "")
    assert ("stdout", "begun") in lines
    assert not outcome.interrupted


async def test_an_interrupt_stops_the_command_and_its_children(tmp_path):
    # The command starts a grandchild that would write a file much later: stopping the
    # process group must stop it too. The test waits for the grandchild to be gone (an
    # event, not a guess at how long it takes): killed, it never writes the file; not
    # killed, it outlives the test's timeout.
    marker = tmp_path / "late"
    grandchild = f"import time; time.sleep(600); open({str(marker)!r}, 'w')"
    code = (
        "import subprocess, sys, time;"
        f"child = subprocess.Popen([sys.executable, '-c', {grandchild!r}]);"
        "print('ready', child.pid, flush=True); time.sleep(600)"
    )
    interrupted = asyncio.Event()
    lines: list[tuple[str, str]] = []

    def on_line(stream: str, text: str) -> None:
        lines.append((stream, text))
        if text.startswith("ready "):
            interrupted.set()

    outcome = await run_command(command(tmp_path, code), on_line, interrupted)
    assert outcome.interrupted
    assert outcome.result.status == "error"
    assert "interrupted" in (outcome.result.error_message or "")
    pid = int(next(text for _, text in lines if text.startswith("ready ")).split()[1])
    while running(pid):
        await asyncio.sleep(0.05)
    assert not marker.exists()


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent (init) to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


async def test_noop_is_ok_at_once(tmp_path):
    cmd = Command(id="n", step="validate_design", kind="noop", cwd=str(tmp_path), description="x")
    outcome, lines = await run(cmd)
    assert outcome.result.status == "ok"
    assert lines == []
