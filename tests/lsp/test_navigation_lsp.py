"""Navigation and rename across designs, on the demo shop after its session, as Neovim and
VS Code users do it: go to a dependency's design, find who names a module, and rename
Shop.Catalog to Shop.Products (the file moves, every design follows, all stays valid)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from lsp_harness import (
    PATIENCE,
    TESTS,
    apply_lsp_edits,
    client_open_uris,
    close_document,
    command,
    open_document,
    replace_document,
    shown_eventually,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from codemyspec_lsp import protocol

if str(TESTS / "architecture") not in sys.path:
    sys.path.insert(0, str(TESTS / "architecture"))

from arch_helpers import demo_shop

CATALOG = Path("docs/design/shop/catalog.md")
ORDERS = Path("docs/design/shop/orders.md")
PRODUCTS = Path("docs/design/shop/products.md")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return demo_shop(tmp_path / "shop")


def at(root: Path, relative: Path, needle: str, offset: int = 0) -> types.Position:
    """The position of `needle` (plus `offset` characters) in a design as it is on disk."""
    for number, line in enumerate((root / relative).read_text(encoding="utf-8").splitlines()):
        if needle in line:
            return types.Position(line=number, character=line.index(needle) + offset)
    raise AssertionError(f"{needle!r} not in {relative}")


def where(locations: list[types.Location] | None, root: Path) -> list[tuple[str, int]]:
    return sorted(
        (Path(types_uri_path(loc.uri)).relative_to(root).as_posix(), loc.range.start.line)
        for loc in locations or []
    )


def types_uri_path(uri: str) -> str:
    from pygls.uris import to_fs_path

    return str(Path(to_fs_path(uri) or uri).resolve())


async def apply(client, root: Path, edit: types.WorkspaceEdit) -> None:  # type: ignore[no-untyped-def]
    """Apply a rename's WorkspaceEdit as an editor does: buffers, files, then moves."""
    assert edit.document_changes, edit
    versions = getattr(client, "versions", {})
    events = []
    for change in edit.document_changes:
        if isinstance(change, types.TextDocumentEdit):
            uri = change.text_document.uri
            path = Path(types_uri_path(uri))
            text = path.read_text(encoding="utf-8")
            if uri in client_open_uris(client):
                assert change.text_document.version == versions.get(uri, 1)
                text = client.buffers[uri]
                new = apply_lsp_edits(text, change.edits)
                versions[uri] = versions.get(uri, 1) + 1
                replace_document(client, uri, versions[uri], new)
                client.buffers[uri] = new
                path.write_text(new, encoding="utf-8")  # and saved
            else:
                assert change.text_document.version is None
                path.write_text(apply_lsp_edits(text, change.edits), encoding="utf-8")
                events.append(types.FileEvent(uri=uri, type=types.FileChangeType.Changed))
        else:
            assert isinstance(change, types.RenameFile), change
            old, new = Path(types_uri_path(change.old_uri)), Path(types_uri_path(change.new_uri))
            assert not new.exists()
            old.rename(new)
            if change.old_uri in client_open_uris(client):
                close_document(client, change.old_uri)
                open_document(client, new)
            events += [
                types.FileEvent(uri=change.old_uri, type=types.FileChangeType.Deleted),
                types.FileEvent(uri=change.new_uri, type=types.FileChangeType.Created),
            ]
    client.versions = versions
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=events))


def open_buffer(client, root: Path, relative: Path) -> str:  # type: ignore[no-untyped-def]
    uri = open_document(client, root / relative)
    if not hasattr(client, "buffers"):
        client.buffers = {}
    client.buffers[uri] = (root / relative).read_text(encoding="utf-8")
    return uri


async def test_definition_references_links_and_symbols(shop, open_client):
    async with open_client(shop) as client:
        orders = open_buffer(client, shop, ORDERS)
        doc = types.TextDocumentIdentifier(uri=orders)
        await shown_eventually(client, orders, [])
        # Go to definition on a dependency: the design of that context, at its title.
        found = await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=doc, position=at(shop, ORDERS, "- Shop.Catalog", 8)
            )
        )
        # The context (its title) and the component of the same name its design defines.
        assert where(found, shop) == [
            (CATALOG.as_posix(), 0),
            (CATALOG.as_posix(), at(shop, CATALOG, "### Shop.Catalog").line),
        ]
        # Every place that names Shop.Catalog, in every design.
        refs = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc,
                position=at(shop, ORDERS, "- Shop.Catalog", 8),
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        assert ORDERS.as_posix() in {path for path, _ in where(refs, shop)}
        assert (CATALOG.as_posix(), at(shop, CATALOG, "### Shop.Catalog").line) in where(refs, shop)
        # The dependencies link to their designs.
        links = await client.text_document_document_link_async(
            types.DocumentLinkParams(text_document=doc)
        )
        targets = {Path(types_uri_path(link.target or "")).name for link in links or []}
        assert targets == {"accounts.md", "catalog.md"}
        symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="catalog"))
        names = sorted(s.name for s in symbols or [])
        assert names == [
            "Shop.Catalog",
            "Shop.Catalog",
            "Shop.Catalog.Product",
            "Shop.Catalog.Stock",
        ]
        # prepareRename refuses what is not a module name.
        with pytest.raises(JsonRpcException):
            await client.text_document_prepare_rename_async(
                types.PrepareRenameParams(
                    text_document=doc, position=at(shop, ORDERS, "## Purpose")
                )
            )


async def test_renaming_a_context_moves_its_design_and_updates_every_design(shop, open_client):
    async with open_client(shop) as client:
        catalog = open_buffer(client, shop, CATALOG)
        doc = types.TextDocumentIdentifier(uri=catalog)
        await shown_eventually(client, catalog, [])
        heading = at(shop, CATALOG, "### Shop.Catalog.Product", 10)  # on "Catalog"
        prepared = await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc, position=heading)
        )
        assert isinstance(prepared, types.PrepareRenamePlaceholder)
        assert prepared.placeholder == "Shop.Catalog"
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc, position=heading, new_name="Shop.Products")
        )
        assert edit is not None
        await apply(client, shop, edit)
        assert not (shop / CATALOG).exists()
        products = (shop / PRODUCTS).read_text(encoding="utf-8")
        assert products.startswith("# Products\n")
        assert "### Shop.Products.Product" in products and "Shop.Catalog" not in products
        orders_text = (shop / ORDERS).read_text(encoding="utf-8")
        assert "- Shop.Products:" in orders_text and "Shop.Catalog" not in orders_text
        # The workspace stays valid, open or not.
        products_uri = (shop / PRODUCTS).as_uri()
        await shown_eventually(client, products_uri, [])
        await shown_eventually(client, (shop / ORDERS).as_uri(), [])
        # A client that does not watch files (the VS Code-kind test client refuses the
        # registration) learns of files changed on disk through the server's poll: the graph
        # follows within its interval, so wait for it as a person would, bounded by PATIENCE.
        edge = {"from": "Shop.Orders", "to": "Shop.Products"}
        deadline = asyncio.get_running_loop().time() + PATIENCE.seconds
        graph = await command(client, protocol.GET_GRAPH, {})
        while edge not in graph["edges"] and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
            graph = await command(client, protocol.GET_GRAPH, {})
        assert [c["module"] for c in graph["contexts"]] == [
            "Shop.Accounts",
            "Shop.Orders",
            "Shop.Products",
        ]
        assert edge in graph["edges"]
        assert all(c["valid"] for c in graph["contexts"])


async def test_a_rename_onto_an_existing_context_is_refused(shop, open_client):
    async with open_client(shop) as client:
        catalog = open_buffer(client, shop, CATALOG)
        doc = types.TextDocumentIdentifier(uri=catalog)
        with pytest.raises(JsonRpcException) as caught:
            await client.text_document_rename_async(
                types.RenameParams(
                    text_document=doc,
                    position=at(shop, CATALOG, "### Shop.Catalog", 6),
                    new_name="Shop.Orders",
                )
            )
        assert "Shop.Orders is already defined" in str(caught.value)


async def test_a_client_that_cannot_move_files_is_told_so_and_a_component_still_renames(shop):
    from lsp_harness import lsp_client
    from pytest_lsp import client_capabilities

    capabilities = client_capabilities("neovim")
    capabilities.workspace.workspace_edit = types.WorkspaceEditClientCapabilities(
        document_changes=True
    )
    async with lsp_client("neovim", shop, capabilities=capabilities) as client:
        catalog = open_buffer(client, shop, CATALOG)
        doc = types.TextDocumentIdentifier(uri=catalog)
        with pytest.raises(JsonRpcException) as caught:
            await client.text_document_rename_async(
                types.RenameParams(
                    text_document=doc,
                    position=at(shop, CATALOG, "### Shop.Catalog", 8),
                    new_name="Shop.Products",
                )
            )
        assert "cannot move files" in str(caught.value)
        assert "docs/design/shop/catalog.md to docs/design/shop/products.md" in str(caught.value)
        # A component's rename moves no file: it works.
        edit = await client.text_document_rename_async(
            types.RenameParams(
                text_document=doc,
                position=at(shop, CATALOG, "### Shop.Catalog.Stock", 18),
                new_name="Shop.Catalog.Inventory",
            )
        )
        assert edit is not None and edit.document_changes
        assert not any(isinstance(c, types.RenameFile) for c in edit.document_changes)
