"""The SDK's own MCP client over stdio, started against ``codemyspec-mcp`` as an agent would."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult, TextContent

# `python -m codemyspec_lsp.mcp_server`, from the interpreter running the tests.
MODULE_ARGV = (sys.executable, "-m", "codemyspec_lsp.mcp_server")


def console_script() -> str:
    """The installed `codemyspec-mcp` next to the interpreter (the venv's bin)."""
    beside = Path(sys.executable).parent / "codemyspec-mcp"
    found = str(beside) if beside.exists() else shutil.which("codemyspec-mcp")
    assert found, "codemyspec-mcp is not installed (pip install -e .)"
    return found


@asynccontextmanager
async def mcp_session(
    workspace: Path | None, argv: tuple[str, ...] = MODULE_ARGV, cwd: Path | None = None
) -> AsyncIterator[ClientSession]:
    args = [*argv[1:], *(["--workspace", str(workspace)] if workspace else [])]
    params = StdioServerParameters(command=argv[0], args=args, cwd=cwd)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


def text_json(result: CallToolResult) -> Any:
    """The one text block of a successful answer, parsed (what an agent reads)."""
    assert not result.is_error, result.content
    [block] = result.content
    assert isinstance(block, TextContent)
    return orjson.loads(block.text)


def error_text(result: CallToolResult) -> str:
    assert result.is_error, result
    [block] = result.content
    assert isinstance(block, TextContent)
    return block.text
