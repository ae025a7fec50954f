"""Run one session Command as the protocol says: argv (never a shell), stdin, env, cwd.

Output is streamed line by line to a callback while it is kept for the result; the
command's ``timeoutMs`` is enforced; an interrupt (Ctrl-C) stops it. A timed-out or
interrupted command is terminated with its whole process group (it runs in a session of
its own, so an agent's helpers go too, and the terminal's Ctrl-C reaches only us).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from codemyspec_lsp.session.models import MAX_TEXT, Command, ResultInput

CHUNK = 65536
SPAWN_FAILED = 127  # the exit code clients report for a command that could not be started
GRACE_SECONDS = 3.0  # between SIGTERM and SIGKILL
KEEP_CHARS = MAX_TEXT - 1000  # room for the truncation note
TRUNCATED_NOTE = "\n[output truncated by codemyspec]\n"

OnLine = Callable[[str, str], None]  # (stream name, line without newline)


@dataclass
class CommandOutcome:
    result: ResultInput
    interrupted: bool = False


class _Collector:
    """Splits a byte stream into lines for the callback and keeps the text (bounded)."""

    def __init__(self, name: str, on_line: OnLine) -> None:
        self.name = name
        self.on_line = on_line
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.pending = ""
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def feed(self, data: bytes, *, final: bool = False) -> None:
        text = self.decoder.decode(data, final=final)
        self._keep(text)
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.on_line(self.name, line.rstrip("\r"))
        if final and self.pending:
            self.on_line(self.name, self.pending)
            self.pending = ""

    def _keep(self, text: str) -> None:
        room = KEEP_CHARS - self.size
        if room <= 0:
            self.truncated = self.truncated or bool(text)
            return
        self.parts.append(text[:room])
        self.size += min(len(text), room)
        self.truncated = self.truncated or len(text) > room

    def text(self) -> str:
        return "".join(self.parts) + (TRUNCATED_NOTE if self.truncated else "")


async def _pump(stream: asyncio.StreamReader | None, collector: _Collector) -> None:
    if stream is None:
        return
    while chunk := await stream.read(CHUNK):
        collector.feed(chunk)
    collector.feed(b"", final=True)


async def _feed_stdin(process: asyncio.subprocess.Process, data: str | None) -> None:
    if process.stdin is None:
        return
    # A command that exits without reading its input is not an error of ours.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        if data:
            process.stdin.write(data.encode("utf-8"))
            await process.stdin.drain()
        process.stdin.close()
        await process.stdin.wait_closed()


def _signal_group(process: asyncio.subprocess.Process, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        else:  # pragma: no cover - Windows has no process groups of this kind
            process.send_signal(sig)


async def terminate(process: asyncio.subprocess.Process) -> None:
    """SIGTERM to the process group, SIGKILL after a grace period."""
    _signal_group(process, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), GRACE_SECONDS)
    except asyncio.TimeoutError:
        _signal_group(process, signal.SIGKILL)
        await process.wait()


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


async def run_command(
    command: Command, on_line: OnLine, interrupted: asyncio.Event
) -> CommandOutcome:
    """Run ``command`` to completion, timeout or interrupt; never raises for its failures."""
    started = time.monotonic()
    if command.kind == "noop":
        return CommandOutcome(ResultInput(status="ok", duration_ms=0))
    if not command.argv:
        return CommandOutcome(
            ResultInput(status="error", error_message="the command has an empty argv")
        )
    try:
        process = await asyncio.create_subprocess_exec(
            *command.argv,
            cwd=command.cwd,
            env={**os.environ, **command.env},
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:  # reported like a shell does: 127, command not found
        return CommandOutcome(
            ResultInput(
                status="error",
                code=SPAWN_FAILED,
                error_message=f"cannot start {command.argv[0]!r}: {error}",
                duration_ms=_elapsed_ms(started),
            )
        )

    out, err = _Collector("stdout", on_line), _Collector("stderr", on_line)
    io_tasks = [
        asyncio.ensure_future(_feed_stdin(process, command.stdin)),
        asyncio.ensure_future(_pump(process.stdout, out)),
        asyncio.ensure_future(_pump(process.stderr, err)),
    ]
    waiting = asyncio.ensure_future(process.wait())
    interrupt = asyncio.ensure_future(interrupted.wait())
    timeout = command.timeout_ms / 1000 if command.timeout_ms > 0 else None
    done, _ = await asyncio.wait(
        {waiting, interrupt}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
    )
    interrupt.cancel()
    stopped_because: str | None = None
    if waiting not in done:
        stopped_because = "interrupted" if interrupt in done else "timed out"
        await terminate(process)
    # The group is gone, so its pipes close; a stray daemon holding them is not waited for.
    await asyncio.wait(io_tasks, timeout=GRACE_SECONDS)
    for task in io_tasks:
        task.cancel()
    code = process.returncode

    if stopped_because == "interrupted":
        message = "interrupted by the user (Ctrl-C); the command was stopped"
    elif stopped_because == "timed out":
        message = f"timed out after {command.timeout_ms / 1000:g} s; the command was stopped"
    elif code != 0:
        message = f"{command.argv[0]} exited with code {code}"
    else:
        message = None
    result = ResultInput(
        status="ok" if message is None else "error",
        code=code,
        stdout=out.text(),
        stderr=err.text(),
        error_message=message,
        duration_ms=_elapsed_ms(started),
    )
    return CommandOutcome(result, interrupted=stopped_because == "interrupted")
