"""How to start ``codemyspec-mcp`` for a workspace, without importing the MCP SDK.

The server is the ``codemyspec-mcp`` installed beside the interpreter running CodeMySpec
(:func:`codemyspec_lsp.agents.mcp.mcp_executable`, the one the agent presets name), by its
absolute path; where that script is absent (a source tree run with ``python -m``), the
same interpreter runs the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

from codemyspec_lsp.agents.mcp import mcp_executable


def mcp_server_argv(workspace: Path, python: str = sys.executable) -> list[str]:
    """The argv that serves the self-check tools for ``workspace`` over stdio."""
    script = mcp_executable(python)
    head = [str(script)] if script.is_file() else [python, "-m", "codemyspec_lsp.mcp_server"]
    return [*head, "--workspace", str(workspace.resolve())]
