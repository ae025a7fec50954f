"""A failure while opening the workspace still releases requests that wait for readiness."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from lsprotocol import types

from codemyspec_lsp.lsp import setup


def test_failed_initialized_still_sets_ready(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(ls: Any, folders: Any) -> Any:
        raise RuntimeError("folder vanished")

    monkeypatch.setattr(setup, "open_projects", broken)
    monkeypatch.setattr(setup, "workspace_folders", lambda ls: [])
    server = setup.create_server()
    handler = server.protocol.fm.features[types.INITIALIZED]

    async def run() -> bool:
        with pytest.raises(RuntimeError, match="folder vanished"):
            await handler(types.InitializedParams())
        return server.ready.is_set()

    with caplog.at_level(logging.ERROR):
        assert asyncio.run(run()) is True
    assert "opening the workspace folders failed" in caplog.text
