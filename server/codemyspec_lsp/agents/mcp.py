"""Self-check: the options that give an agent the CodeMySpec MCP server on its command line.

The server is ``codemyspec-mcp`` installed next to the interpreter running codemyspec
(``<venv>/bin/codemyspec-mcp``), started with ``--workspace <root>``. Its tools are named in
``presets.MCP_TOOLS``; Claude Code sees them as ``mcp__codemyspec__<tool>``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from codemyspec_lsp.agents.presets import MCP_SERVER_NAME, MCP_TOOLS, McpStyle

MCP_EXECUTABLE = "codemyspec-mcp"


@dataclass(frozen=True)
class McpServer:
    command: str  # absolute path of codemyspec-mcp
    workspace: str

    @property
    def args(self) -> list[str]:
        return ["--workspace", self.workspace]


def mcp_executable(python: str = sys.executable) -> Path:
    """Where ``codemyspec-mcp`` is installed: beside the interpreter (``.exe`` on Windows)."""
    folder = Path(python).parent
    name = MCP_EXECUTABLE + (".exe" if sys.platform == "win32" else "")
    return (folder / name).absolute()


def find_mcp_server(python: str, workspace: Path) -> McpServer | None:
    """The self-check server for ``workspace``, or None while it is not installed."""
    path = mcp_executable(python)
    return McpServer(str(path), str(workspace)) if path.is_file() else None


def claude_tool_names() -> list[str]:
    return [f"mcp__{MCP_SERVER_NAME}__{tool}" for tool in MCP_TOOLS]


def _servers_json(server: McpServer, **extra: object) -> str:
    entry: dict[str, object] = {**extra, "command": server.command, "args": server.args}
    return json.dumps({"mcpServers": {MCP_SERVER_NAME: entry}}, separators=(",", ":"))


def with_mcp(style: McpStyle, head: list[str], server: McpServer) -> list[str]:
    """``head`` (a preset's options) with the MCP server added the way its CLI takes it."""
    return _BUILDERS[style](head, server)


def _claude(head: list[str], server: McpServer) -> list[str]:
    head = _extend_allowed_tools(head, claude_tool_names())
    return [*head, "--mcp-config", _servers_json(server), "--strict-mcp-config"]


def _codex(head: list[str], server: McpServer) -> list[str]:
    prefix = f"mcp_servers.{MCP_SERVER_NAME}"
    return [
        *head,
        "-c",
        f"{prefix}.command={json.dumps(server.command)}",
        "-c",
        f"{prefix}.args={json.dumps(server.args)}",
    ]


def _qwen(head: list[str], server: McpServer) -> list[str]:
    return [*head, "--mcp-config", _servers_json(server)]


def _copilot(head: list[str], server: McpServer) -> list[str]:
    # its own config shape: local servers with a tool list
    config = _servers_json(server, type="local", tools=["*"])
    return [*head, "--additional-mcp-config", config]


_BUILDERS: dict[McpStyle, Callable[[list[str], McpServer], list[str]]] = {
    "claude": _claude,
    "codex": _codex,
    "qwen": _qwen,
    "copilot": _copilot,
}


def _extend_allowed_tools(head: list[str], tools: list[str]) -> list[str]:
    out = list(head)
    for index, element in enumerate(out[:-1]):
        if element in ("--allowedTools", "--allowed-tools"):
            out[index + 1] = ",".join([out[index + 1], *tools])
            return out
    return [*out, "--allowedTools", ",".join(tools)]
