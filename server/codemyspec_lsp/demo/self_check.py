"""The offline replay agent's self-check: a real MCP client of ``codemyspec-mcp``.

What an agent given the server does before it stops: validate the design it wrote with
the ``validate_design`` tool, fix what the answer names, and validate again. The agent
connects with the SDK's own stdio client, exactly as a coding agent's MCP client would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import orjson
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult, TextContent

from codemyspec_lsp.mcp_server.launch import mcp_server_argv

Say = Callable[[str], None]


def answer_of(result: CallToolResult) -> dict[str, Any]:
    """validate_design's JSON (the text an agent reads); a tool error as RuntimeError."""
    text = "".join(block.text for block in result.content if isinstance(block, TextContent))
    if result.is_error:
        raise RuntimeError(text or "validate_design failed")
    value = orjson.loads(text)
    if not isinstance(value, dict):
        raise RuntimeError(f"validate_design answered {text[:200]!r}")
    return value


def self_check(workspace: Path, design: Path, corrected: str, say: Say) -> bool:
    """Validate ``design`` over MCP; when it has errors write ``corrected`` and check again.

    True when the last check found the design valid.
    """
    return anyio.run(_self_check, workspace, design, corrected, say)


async def _self_check(workspace: Path, design: Path, corrected: str, say: Say) -> bool:
    command, *args = mcp_server_argv(workspace)
    params = StdioServerParameters(command=command, args=args, cwd=workspace)
    relative = design.resolve().relative_to(workspace.resolve()).as_posix()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        say(f"connected to the codemyspec MCP server ({command})")
        for attempt in (1, 2):
            answer = answer_of(await session.call_tool("validate_design", {"path": relative}))
            errors = [d for d in answer["diagnostics"] if d["severity"] == "error"]
            if answer["valid"]:
                say(f"validate_design {relative}: valid, no errors")
                return True
            say(f"validate_design {relative}: {len(errors)} error(s)")
            for d in errors:
                say(f"  {d['line']}:{d['column']} {d['code']} {d['message']}")
            if attempt == 1:
                say("fixing every error before stopping...")
                design.write_text(corrected, encoding="utf-8")
    return False
