"""Designs checked against each other, as Neovim (pull) and VS Code (push) users see it:
a cycle shows in both designs and clears in both, whether a file is open or not."""

from __future__ import annotations

import ast
import asyncio
import sys
from pathlib import Path

from lsp_harness import (
    TESTS,
    close_document,
    command,
    edit_line,
    make_workspace,
    open_document,
    shown_eventually,
)
from lsprotocol import types

from codemyspec_lsp import protocol

if str(TESTS / "architecture") not in sys.path:
    sys.path.insert(0, str(TESTS / "architecture"))

from arch_helpers import design_text

ORDERS = "docs/design/shop/orders.md"
CATALOG = "docs/design/shop/catalog.md"


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines()) if needle in line)


def shop(tmp_path: Path) -> tuple[Path, str, str]:
    orders = design_text("Shop.Orders", ["Shop.Catalog", "Shop.Repo"])
    catalog = design_text("Shop.Catalog", ["Shop.Repo"])
    root = make_workspace(tmp_path / "shop", {ORDERS: orders, CATALOG: catalog})
    return root, orders, catalog


def watched(client, path: Path, kind: types.FileChangeType) -> None:  # type: ignore[no-untyped-def]
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


Reports = dict[str, types.WorkspaceDocumentDiagnosticReport]


def started_sessions(actions: list[types.CodeAction | types.Command] | None) -> list[object]:
    """(title, command, arguments) of each action that runs a command.

    lsprotocol's converter reads a CodeAction holding a command as a Command whose
    `command` is the text of the object (a client-side quirk; editors read the JSON)."""
    found = []
    for action in actions or []:
        if isinstance(action, types.CodeAction) and action.command is not None:
            found.append((action.title, action.command.command, action.command.arguments))
        elif isinstance(action, types.Command) and action.command.startswith("{"):
            inner = ast.literal_eval(action.command)
            found.append((action.title, inner["command"], inner["arguments"]))
    return found


async def test_a_cycle_added_in_one_open_design_shows_in_both_and_clears(tmp_path, open_client):
    root, orders, catalog = shop(tmp_path)
    async with open_client(root) as client:
        orders_uri = (root / ORDERS).as_uri()
        catalog_uri = open_document(client, root / CATALOG)
        await shown_eventually(client, catalog_uri, [])
        repo_line = line_of(catalog, "- Shop.Repo")
        edit_line(client, catalog_uri, 2, repo_line, "- Shop.Orders: calls back")
        await shown_eventually(client, catalog_uri, [("CMS131", repo_line)])
        await shown_eventually(client, orders_uri, [("CMS131", line_of(orders, "- Shop.Catalog"))])
        graph = await command(client, protocol.GET_GRAPH, {})
        assert graph["cycles"] == [["Shop.Catalog", "Shop.Orders"]]
        assert '["Shop.Orders"]' in graph["mermaid"]
        edit_line(client, catalog_uri, 3, repo_line, "- Shop.Repo: stores it")
        await shown_eventually(client, catalog_uri, [])
        await shown_eventually(client, orders_uri, [])
        graph = await command(client, protocol.GET_GRAPH, {"workspaceUri": root.as_uri()})
        assert graph["cycles"] == []
        assert graph["edges"] == [{"from": "Shop.Orders", "to": "Shop.Catalog"}]


async def test_the_graph_asked_for_at_start_up_waits_for_every_design(tmp_path, open_client):
    root, _, _ = shop(tmp_path)
    for n in range(30):
        path = root / f"docs/design/shop/extra{n}.md"
        path.write_text(design_text(f"Shop.Extra{n}", ["Shop.Orders"]), "utf-8")
    async with open_client(root) as client:
        graph = await command(client, protocol.GET_GRAPH, {})
        assert len(graph["contexts"]) == 32
        assert {"from": "Shop.Extra29", "to": "Shop.Orders"} in graph["edges"]


async def test_closed_files_changed_on_disk_are_checked_again(tmp_path, open_client):
    root, orders, _ = shop(tmp_path)
    async with open_client(root) as client:
        orders_uri = (root / ORDERS).as_uri()
        catalog_path = root / CATALOG
        await shown_eventually(client, orders_uri, [])
        # A dependency on a context nobody designed: CMS130, information.
        (root / ORDERS).write_text(
            design_text("Shop.Orders", ["Shop.Catalog", "Shop.Billing"]), encoding="utf-8"
        )
        watched(client, root / ORDERS, types.FileChangeType.Changed)
        billing_line = line_of((root / ORDERS).read_text(encoding="utf-8"), "- Shop.Billing")
        await shown_eventually(client, orders_uri, [("CMS130", billing_line)])
        # The designed context is deleted: the dependency on it is undesigned now.
        catalog_path.unlink()
        watched(client, catalog_path, types.FileChangeType.Deleted)
        catalog_line = line_of(orders, "- Shop.Catalog")
        await shown_eventually(
            client, orders_uri, [("CMS130", catalog_line), ("CMS130", billing_line)]
        )
        # It comes back, defining a component Orders also defines: CMS132 on the later path.
        catalog_path.write_text(
            design_text("Shop.Catalog", components=["Shop.Catalog.Product", "Shop.Orders.Record"]),
            encoding="utf-8",
        )
        watched(client, catalog_path, types.FileChangeType.Created)
        record_line = line_of(orders, "### Shop.Orders.Record")
        await shown_eventually(
            client, orders_uri, [("CMS130", billing_line), ("CMS132", record_line)]
        )


async def test_a_closed_design_reverts_to_the_disk_and_the_code_action_starts_a_session(
    tmp_path, open_client
):
    root, orders, _ = shop(tmp_path)
    async with open_client(root) as client:
        orders_uri = open_document(client, root / ORDERS)
        catalog_uri = (root / CATALOG).as_uri()
        line = line_of(orders, "- Shop.Catalog")
        edit_line(client, orders_uri, 2, line, "- Shop.Billing: sends invoices")
        await shown_eventually(client, orders_uri, [("CMS130", line)])
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=orders_uri),
                range=types.Range(
                    start=types.Position(line=line, character=0),
                    end=types.Position(line=line, character=5),
                ),
                context=types.CodeActionContext(
                    diagnostics=[
                        types.Diagnostic(
                            range=types.Range(
                                start=types.Position(line=line, character=0),
                                end=types.Position(line=line, character=30),
                            ),
                            message="Shop.Billing is not designed yet",
                            code="CMS130",
                            source=protocol.DIAGNOSTIC_SOURCE,
                            data={"context": "Shop.Billing"},
                        )
                    ]
                ),
            )
        )
        assert started_sessions(actions) == [
            (
                "Start a design session for Shop.Billing",
                protocol.START_SESSION,
                [{"context": "Shop.Billing"}],
            )
        ]
        close_document(client, orders_uri)
        await shown_eventually(client, orders_uri, [])
        await shown_eventually(client, catalog_uri, [])


async def test_a_client_that_does_not_watch_files_still_sees_designs_change_on_disk(tmp_path):
    from lsp_harness import lsp_client
    from pytest_lsp import client_capabilities

    capabilities = client_capabilities("neovim")
    assert not capabilities.workspace.did_change_watched_files.dynamic_registration
    root, orders, _ = shop(tmp_path)
    async with lsp_client("neovim", root, capabilities=capabilities) as client:
        orders_uri = (root / ORDERS).as_uri()
        await shown_eventually(client, orders_uri, [])
        # An agent (or git) rewrites a design; nobody tells the server.
        (root / CATALOG).write_text(design_text("Shop.Catalog", ["Shop.Orders"]), "utf-8")
        await shown_eventually(client, orders_uri, [("CMS131", line_of(orders, "- Shop.Catalog"))])
        (root / CATALOG).unlink()
        await shown_eventually(client, orders_uri, [("CMS130", line_of(orders, "- Shop.Catalog"))])


async def test_workspace_pull_reports_every_design_and_unchanged_ones_as_unchanged(tmp_path):
    from lsp_harness import lsp_client, pushed
    from pytest_lsp import client_capabilities

    root, _, _ = shop(tmp_path)
    orders = design_text("Shop.Orders", ["Shop.Catalog", "Shop.Billing"])
    (root / ORDERS).write_text(orders, "utf-8")
    async with lsp_client("neovim", root, capabilities=client_capabilities("neovim")) as client:
        orders_uri, catalog_uri = (root / ORDERS).as_uri(), (root / CATALOG).as_uri()
        await shown_eventually(client, orders_uri, [("CMS130", line_of(orders, "- Shop.Billing"))])

        async def pull(previous: dict[str, str]) -> Reports:
            report = await client.workspace_diagnostic_async(
                types.WorkspaceDiagnosticParams(
                    previous_result_ids=[
                        types.PreviousResultId(uri=uri, value=value)
                        for uri, value in previous.items()
                    ]
                )
            )
            return {item.uri: item for item in report.items}

        first = await pull({})
        assert [str(d.code) for d in first[orders_uri].items] == ["CMS130"]
        assert list(first[catalog_uri].items) == []
        # From its first workspace pull on, closed files are not pushed as well.
        assert pushed(client, orders_uri) == []
        ids = {uri: item.result_id for uri, item in first.items() if item.result_id}
        again = await pull(ids)
        assert all(item.kind == "unchanged" for item in again.values()), again
        # One design changes on disk: only it comes back in full.
        (root / ORDERS).write_text(design_text("Shop.Orders", ["Shop.Catalog"]), "utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=orders_uri, type=types.FileChangeType.Changed)]
            )
        )

        async def orders_changed() -> Reports:
            while (latest := await pull(ids))[orders_uri].kind == "unchanged":
                await asyncio.sleep(0.05)
            return latest

        latest = await asyncio.wait_for(orders_changed(), 15)
        assert list(latest[orders_uri].items) == []
        assert latest[catalog_uri].kind == "unchanged"
        assert pushed(client, orders_uri) == []
