"""`codemyspec graph` and `codemyspec validate DIR` on the demo shop: the user's story of
architecture.md ("Done when"): the graph lists contexts and edges; a dependency from
Catalog back to Orders is a cycle both designs show and `graph` exits 1; removing it
clears both."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_helpers import cli

from codemyspec_lsp.cli.demo import copy_tree
from codemyspec_lsp.demo import workspace_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "architecture"))

from arch_helpers import demo_shop

CATALOG = Path("docs/design/shop/catalog.md")
ORDERS = Path("docs/design/shop/orders.md")
BACK = "- Shop.Orders: tells Orders when a product is withdrawn\n"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """The demo workspace after its session: Orders designed beside Accounts and Catalog."""
    return demo_shop(tmp_path / "shop")


def graph(root: Path, *extra: str):  # type: ignore[no-untyped-def]
    return cli("graph", "--workspace", str(root), *extra)


def test_the_demo_workspace_as_shipped_has_two_contexts_and_one_edge(tmp_path):
    root = tmp_path / "shop"
    copy_tree(workspace_files(), root)
    run = cli("graph", "--format", "json", cwd=root / "docs")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [c["module"] for c in data["contexts"]] == ["Shop.Accounts", "Shop.Catalog"]
    assert data["edges"] == [{"from": "Shop.Catalog", "to": "Shop.Accounts"}]
    assert data["cycles"] == [] and data["undesigned"] == []


def test_a_cycle_from_catalog_back_to_orders_and_its_removal(shop):
    run = graph(shop, "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["edges"] == [
        {"from": "Shop.Catalog", "to": "Shop.Accounts"},
        {"from": "Shop.Orders", "to": "Shop.Accounts"},
        {"from": "Shop.Orders", "to": "Shop.Catalog"},
    ]
    catalog = shop / CATALOG
    clean = catalog.read_text(encoding="utf-8")
    catalog.write_text(clean.replace("## Components", BACK + "\n## Components", 1), "utf-8")

    run = graph(shop, "--format", "json")
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert data["cycles"] == [["Shop.Catalog", "Shop.Orders"]]
    assert {c["module"]: c["valid"] for c in data["contexts"]} == {
        "Shop.Accounts": True,
        "Shop.Catalog": False,
        "Shop.Orders": False,
    }
    checked = cli("validate", str(shop / "docs/design"))
    assert checked.returncode == 1
    cycles = [line for line in checked.stdout.splitlines() if "CMS131" in line]
    assert len(cycles) == 2
    assert any(str(CATALOG) in line for line in cycles) and any(
        str(ORDERS) in line for line in cycles
    )
    assert "Shop.Catalog → Shop.Orders → Shop.Catalog" in checked.stdout

    mermaid = graph(shop)
    assert mermaid.returncode == 1
    assert mermaid.stdout.startswith("flowchart LR")
    assert "hasErrors" in mermaid.stdout and "linkStyle" in mermaid.stdout
    assert graph(shop, "--format", "dot").stdout.startswith("digraph")

    catalog.write_text(clean, "utf-8")
    assert graph(shop).returncode == 0
    checked = cli("validate", str(shop / "docs/design"))
    assert checked.returncode == 0, checked.stdout


def test_usage_errors_exit_2(tmp_path):
    assert cli("graph", "--workspace", str(tmp_path / "nowhere")).returncode == 2
    assert cli("graph", "--format", "svg").returncode == 2
