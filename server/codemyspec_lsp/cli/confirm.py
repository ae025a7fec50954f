"""Asking the person before a command runs: one line from stdin, y/yes means run.

The line is read on a daemon thread, so that the event loop keeps serving the server
connection and an interrupt can abandon the question without waiting for input.
End of input counts as "no".
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from typing import TextIO

YES = frozenset({"y", "yes"})


class LineReader:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdin

    async def read_line(self) -> str | None:
        """The next line without its newline, or None at end of input."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def deliver(value: str | None) -> None:
            if not future.done():
                future.set_result(value)

        def read() -> None:
            try:
                line = self.stream.readline()
            except (OSError, ValueError):
                line = ""
            value = line.rstrip("\r\n") if line else None
            # The loop may be closed when the answer comes after an interrupt.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(deliver, value)

        threading.Thread(target=read, name="codemyspec-answer", daemon=True).start()
        return await future


def is_yes(answer: str | None) -> bool:
    return answer is not None and answer.strip().lower() in YES
