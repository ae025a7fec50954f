"""A server kept open all day does not keep something per notification: pygls 2.1 filed
each notification's future under a fresh id and never took it out (found by the soak)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from lsprotocol import types

from codemyspec_lsp.lsp.setup import create_server


async def test_handled_notifications_leave_nothing_behind() -> None:
    protocol = create_server().protocol
    for _ in range(200):
        protocol.handle_message(
            types.SetTraceNotification(params=types.SetTraceParams(value=types.TraceValue.Off))
        )
        await asyncio.sleep(0)
    await asyncio.sleep(0.05)
    assert protocol._request_futures == {}


async def test_shutdown_while_commands_run_succeeds_and_cancels_them() -> None:
    """A shutdown that arrives while requests are still being answered (a command waiting
    for the start-up, say) cancels them and still succeeds: before, cancelling a request
    took it out of the dict pygls was going through, the shutdown failed, the client
    never sent `exit` and the server stayed up (a hung test, a lingering process)."""
    from concurrent.futures import Future
    from functools import partial

    protocol = create_server().protocol
    answered: list[tuple[Any, Any]] = []
    protocol._send_response = lambda msg_id, result=None, error=None: answered.append(  # type: ignore[method-assign]
        (msg_id, error)
    )
    for n in range(3):
        future: Future[Any] = Future()
        protocol._request_futures[f"command-{n}"] = future
        future.add_done_callback(partial(protocol._send_handler_result, msg_id=f"command-{n}"))
    shutdown = protocol.lsp_shutdown()
    with contextlib.suppress(StopIteration):
        while True:
            next(shutdown)
    assert protocol._shutdown
    assert sorted(msg_id for msg_id, _ in answered) == ["command-0", "command-1", "command-2"]
    assert all(error is not None for _, error in answered)
