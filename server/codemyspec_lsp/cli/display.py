"""What the terminal driver shows: plain lines, live agent output and a progress line.

On a terminal the last line is a progress line (step n of expected, the step, elapsed
time) that is redrawn in place every half second and kept below everything printed.
When the output is not a terminal (a pipe, a CI log) there is no redrawing: the progress
is printed once per step as a plain line.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from typing import TextIO

CLEAR_LINE = "\r\x1b[K"
TICK_SECONDS = 0.5


def format_elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


class Display:
    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.started = time.monotonic()
        self._status: str | None = None
        self._paused = False
        self._ticker: asyncio.Task[None] | None = None

    # -- plain output ------------------------------------------------------------------------

    def line(self, text: str = "") -> None:
        """Print a line above the progress line."""
        if self.tty and self._status is not None and not self._paused:
            self.stream.write(CLEAR_LINE)
        self.stream.write(text + "\n")
        self._draw_status()
        self.stream.flush()

    def output(self, text: str, *, stream: str = "stdout") -> None:
        """A line of a running command's output, marked so it stands apart from ours."""
        marker = "│" if stream == "stdout" else "!"
        self.line(f"    {marker} {text}")

    # -- progress ----------------------------------------------------------------------------

    def progress(self, number: int, expected: int, step: str) -> None:
        text = f"step {number}/{expected} · {step}"
        if self.tty:
            self._status = text
            self._redraw()
        else:
            elapsed = format_elapsed(time.monotonic() - self.started)
            self.line(f"[{number}/{expected}] {step} (elapsed {elapsed})")

    def clear_progress(self) -> None:
        if self.tty and self._status is not None:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
        self._status = None

    def pause(self) -> None:
        """Stop redrawing (while the person types an answer)."""
        if self.tty and self._status is not None and not self._paused:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
        self._paused = True

    def resume(self) -> None:
        self._paused = False
        self._redraw()

    def prompt(self, text: str) -> None:
        """Write a question without a newline (the answer follows on the same line)."""
        self.pause()
        self.stream.write(text)
        self.stream.flush()

    def start_ticker(self) -> None:
        if self.tty and self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        self.clear_progress()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            self._redraw()

    def _redraw(self) -> None:
        if self.tty and self._status is not None and not self._paused:
            self.stream.write(CLEAR_LINE)
            self._draw_status()
            self.stream.flush()

    def _draw_status(self) -> None:
        if self.tty and self._status is not None and not self._paused:
            elapsed = format_elapsed(time.monotonic() - self.started)
            self.stream.write(f"\x1b[2m⏵ {self._status} · {elapsed} elapsed\x1b[0m")
