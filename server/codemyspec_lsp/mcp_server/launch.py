"""How to start ``codemyspec-mcp`` for a workspace, without importing the MCP SDK.

The server is the ``codemyspec-mcp`` installed beside the interpreter running CodeMySpec
(``<venv>/bin/codemyspec-mcp``), named by its absolute path so an agent started anywhere
runs the same installation; where that script is absent (a source tree run with
``python -m``), the same interpreter runs the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXECUTABLE = "codemyspec-mcp"


def mcp_server_argv(workspace: Path, python: str = sys.executable) -> list[str]:
    """The argv that serves the self-check tools for ``workspace`` over stdio."""
    name = EXECUTABLE + (".exe" if sys.platform == "win32" else "")
    script = Path(python).parent.absolute() / name  # not resolved: a venv's python is a link
    head = [str(script)] if script.is_file() else [python, "-m", "codemyspec_lsp.mcp_server"]
    return [*head, "--workspace", str(workspace.resolve())]
