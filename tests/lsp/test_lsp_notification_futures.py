"""A server kept open all day does not keep something per notification: pygls 2.1 filed
each notification's future under a fresh id and never took it out (found by the soak)."""

from __future__ import annotations

import asyncio

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
