"""The self-check tools on the official MCP SDK (``MCPServer``), over stdio.

The only module of the package that imports ``mcp``. Each tool answers with one text block
holding the JSON of agents.md's shape (what an agent reads) and the same value as
structured content (an object: lists come as ``{"result": [...]}``, the SDK's convention),
checked against the tool's published output schema. A refusal is a ``ToolError``, so the
agent reads the reason; arguments of the wrong type are refused by the SDK's own validation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import orjson
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from typing_extensions import TypedDict

from codemyspec_lsp import __version__
from codemyspec_lsp.mcp_server.tools import ToolRefused, WorkspaceTools

SERVER_NAME = "codemyspec"
TOOL_NAMES = ("validate_design", "list_contexts", "get_design", "stories_for", "rules_for")

INSTRUCTIONS = (
    "CodeMySpec checks context designs with the same validator as the editor. Before you "
    "stop, call validate_design with the path of the design file you wrote and fix every "
    "error it reports (lines and columns are 1-based), then call it again until 'valid' is "
    "true. list_contexts, get_design, stories_for and rules_for show the rest of the project."
)


class DiagnosticOut(TypedDict):
    code: str
    severity: str
    line: int
    column: int
    message: str


class ValidationOut(TypedDict):
    valid: bool
    diagnostics: list[DiagnosticOut]


class ContextOut(TypedDict):  # the wire names are camelCase
    module: str
    designFile: str
    title: str
    valid: bool
    dependencies: list[str]


class DesignOut(TypedDict):
    designFile: str
    text: str
    diagnostics: list[DiagnosticOut]


class StoryOut(TypedDict):
    title: str
    text: str


class RuleOut(TypedDict):
    name: str
    text: str


READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)


def answer(compute: Callable[[], Any]) -> CallToolResult:
    """The JSON as text and as structured content; a refusal as the agent-readable error."""
    try:
        value = compute()
    except ToolRefused as exc:
        raise ToolError(str(exc)) from exc
    except OSError as exc:  # the file system refused (permissions, a folder gone): say so
        where = f" ({exc.filename})" if exc.filename else ""
        raise ToolError(f"the workspace cannot be read{where}: {exc.strerror or exc}") from exc
    text = orjson.dumps(value).decode()
    structured = value if isinstance(value, dict) else {"result": value}
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured
    )


def build_server(root: Path) -> MCPServer:
    """An MCP server whose five tools answer for the workspace at ``root``."""
    tools = WorkspaceTools(root)
    server = MCPServer(
        name=SERVER_NAME,
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",  # stderr is the agent's log: only what needs attention
    )

    # Optional arguments default to "" rather than None: the SDK parses a string argument
    # whose type is not exactly str as JSON first, so a path "null" would arrive as None.
    # The tools are async only to run on the event loop: each call is short CPU work, and a
    # worker-thread hop per call would cost more than it saves for a single client.
    @server.tool(
        name="validate_design",
        description="Validate a context design with the editor's validator. Give 'path' (the "
        "design file, relative to the workspace) or 'text' (Markdown to check, 'path' "
        "optional). Returns valid and the diagnostics (code, severity, 1-based line and "
        "column, message); fix every error before you stop.",
        annotations=READ_ONLY,
    )
    async def validate_design(
        path: str = "", text: str = ""
    ) -> Annotated[CallToolResult, ValidationOut]:
        return answer(lambda: tools.validate_design(path or None, text or None))

    @server.tool(
        name="list_contexts",
        description="The contexts designed in this workspace: module, design file, title, "
        "whether the design is valid, and the modules it depends on.",
        annotations=READ_ONLY,
    )
    async def list_contexts() -> Annotated[CallToolResult, list[ContextOut]]:
        return answer(tools.list_contexts)

    @server.tool(
        name="get_design",
        description="The design of one context by module name ('Shop.Accounts' or "
        "'Accounts'): its file, its Markdown text and its diagnostics.",
        annotations=READ_ONLY,
    )
    async def get_design(module: str) -> Annotated[CallToolResult, DesignOut]:
        return answer(lambda: tools.get_design(module))

    @server.tool(
        name="stories_for",
        description="The user stories that concern a context ('Orders' or 'Shop.Orders'): "
        "title and Markdown text of each.",
        annotations=READ_ONLY,
    )
    async def stories_for(context: str) -> Annotated[CallToolResult, list[StoryOut]]:
        return answer(lambda: tools.stories_for(context))

    @server.tool(
        name="rules_for",
        description="The project's design rules, optionally only those for a component "
        "type (e.g. 'context') and a session type (e.g. 'design'): name and text of each.",
        annotations=READ_ONLY,
    )
    async def rules_for(
        componentType: str = "",  # the wire names
        sessionType: str = "",
    ) -> Annotated[CallToolResult, list[RuleOut]]:
        return answer(lambda: tools.rules_for(componentType or None, sessionType or None))

    return server
