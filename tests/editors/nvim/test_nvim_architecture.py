"""The architecture in Neovim (issue 14): the graph as Mermaid text, navigation and rename."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from nvim_harness import VENV_BIN, run_nvim, workspace

pytestmark = pytest.mark.slow
__all__ = ["workspace"]


def test_graph_opens_the_mermaid_text_in_a_scratch_buffer(workspace: Path, tmp_path: Path) -> None:
    proc = run_nvim("graph.lua", workspace, tmp_path)
    graph = proc.stdout.split("GRAPH:\n", 1)[1].split("END GRAPH", 1)[0]
    assert graph.startswith("flowchart"), graph
    # The demo: Catalog depends on Accounts.
    assert re.search(r'(\w+)\["Shop\.Catalog"\]', graph) and '"Shop.Accounts"' in graph, graph


def orders_design(catalog: str) -> str:
    """An Orders design that depends on Shop.Catalog, made from the demo's catalog design."""
    text = catalog.replace("# Catalog", "# Orders", 1).replace("Shop.Catalog", "Shop.Orders")
    return text.replace(
        "- Shop.Accounts: the maker of a product is an account",
        "- Shop.Catalog: stock is reserved at checkout",
    )


def validate(workspace: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "codemyspec"), "validate", str(workspace / "docs" / "design")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_gd_grr_and_renaming_a_context_from_neovim(workspace: Path, tmp_path: Path) -> None:
    designs = workspace / "docs" / "design" / "shop"
    (designs / "orders.md").write_text(
        orders_design((designs / "catalog.md").read_text(encoding="utf-8")), encoding="utf-8"
    )
    before = validate(workspace)
    assert before.returncode == 0, before.stdout
    proc = run_nvim("navigation.lua", workspace, tmp_path)
    assert re.search(r"^GD: catalog\.md:\d+$", proc.stdout, re.M), proc.stdout
    refs = re.findall(r"^REF: (.*)$", proc.stdout, re.M)
    assert any(r.startswith("orders.md:") for r in refs), refs
    assert not (designs / "catalog.md").exists()
    products = (designs / "products.md").read_text(encoding="utf-8")
    assert "### Shop.Products\n" in products
    orders = (designs / "orders.md").read_text(encoding="utf-8")
    assert "- Shop.Products: stock is reserved at checkout" in orders
    assert "Shop.Catalog" not in orders
    after = validate(workspace)
    assert after.returncode == 0, after.stdout
