"""The architecture in Neovim (issue 14): the graph as Mermaid text, navigation and rename."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from nvim_harness import run_nvim, workspace

pytestmark = pytest.mark.slow
__all__ = ["workspace"]


def test_graph_opens_the_mermaid_text_in_a_scratch_buffer(workspace: Path, tmp_path: Path) -> None:
    proc = run_nvim("graph.lua", workspace, tmp_path)
    graph = proc.stdout.split("GRAPH:\n", 1)[1].split("END GRAPH", 1)[0]
    assert graph.startswith("flowchart"), graph
    # The demo: Catalog depends on Accounts.
    assert re.search(r'(\w+)\["Shop\.Catalog"\]', graph) and '"Shop.Accounts"' in graph, graph
