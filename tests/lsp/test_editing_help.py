"""Hover, completion and the outline through a real server (the answers do not depend on
how a client receives diagnostics, so one client kind is enough)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_harness import lsp_client, make_workspace, open_document
from lsprotocol import types
from pytest_lsp import client_capabilities

from codemyspec_lsp import protocol
from codemyspec_lsp.design.sections import COMPONENT_TYPES, section_for

DATA = Path(__file__).resolve().parents[1] / "design" / "data"
CATALOG = (DATA / "invalid_catalog.md").read_text(encoding="utf-8")
ACCOUNTS = (DATA / "valid_accounts.md").read_text(encoding="utf-8")
DESIGN = "docs/design/shop/catalog.md"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(
        tmp_path / "shop",
        {
            DESIGN: CATALOG,
            "docs/design/shop/accounts.md": ACCOUNTS,
            "docs/design/shop_web/product_live.md": ACCOUNTS,
        },
    )


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_hover_on_a_heading_and_on_a_type(workspace):
    async with lsp_client("neovim", workspace) as client:
        uri = open_document(client, workspace / DESIGN)
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=types.Position(12, 4))
        )
        spec = section_for("Execution Flow")
        assert spec is not None and hover is not None
        assert hover.contents.kind == types.MarkupKind.Markdown
        assert hover.contents.value == f"**Execution Flow**: {spec.guidance}"
        assert hover.range.start.line == 12

        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=types.Position(29, 11))
        )
        assert hover is not None
        assert hover.contents.value == f"**other**: {COMPONENT_TYPES['other']}"

        nothing = await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=types.Position(3, 3))
        )
        assert nothing is None


async def test_completion_of_titles_types_and_known_contexts(workspace):
    async with lsp_client("neovim", workspace) as client:
        text = CATALOG.replace("- shop helpers", "- Sho") + "\n## "
        uri = open_document(client, workspace / DESIGN, text=text)
        lines = text.splitlines()

        async def labels(line: int, character: int) -> list[str]:
            result = await client.text_document_completion_async(
                types.CompletionParams(
                    text_document=doc(uri), position=types.Position(line, character)
                )
            )
            items = result.items if isinstance(result, types.CompletionList) else result or []
            return [i.label for i in sorted(items, key=lambda i: i.sort_text or "")]

        heading = len(lines) - 1
        titles = await labels(heading, 3)
        assert titles[:4] == [
            "Entity Ownership",
            "Access Patterns",
            "Public API",
            "Test Assertions",
        ]
        assert len(titles) == 10

        assert await labels(21, 10) == list(COMPONENT_TYPES)

        # The other designs of the workspace, by the module their path names.
        assert await labels(lines.index("- Sho"), 5) == ["Shop.Accounts", "ShopWeb.ProductLive"]

        assert await labels(3, 4) == []


async def test_outline_of_sections_and_components(workspace):
    async with lsp_client("neovim", workspace) as client:
        uri = open_document(client, workspace / DESIGN)
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc(uri))
        )

        def tree(items, depth=0):
            for item in items or []:
                yield depth, item.kind, item.name, item.detail
                yield from tree(item.children, depth + 1)

        assert list(tree(symbols)) == [
            (0, types.SymbolKind.Module, "Catalog", None),
            (1, types.SymbolKind.Namespace, "Purpose", None),
            (1, types.SymbolKind.Namespace, "Public APIs", "not a known section"),
            (1, types.SymbolKind.Namespace, "State Management Strategy", None),
            (1, types.SymbolKind.Namespace, "Execution Flow", None),
            (1, types.SymbolKind.Namespace, "Components", None),
            (2, types.SymbolKind.Class, "Catalog.Product", None),
            (2, types.SymbolKind.Class, "PriceCalculator", "other"),
            (2, types.SymbolKind.Class, "Catalog.Search", None),
            (1, types.SymbolKind.Namespace, "Dependencies", None),
            (2, types.SymbolKind.Package, "Shop.Repo", None),
            (2, types.SymbolKind.Package, "shop helpers", None),
            (1, types.SymbolKind.Namespace, "Test Strategies", None),
        ]


async def test_capabilities_are_advertised(workspace):
    async with lsp_client("neovim", workspace, initialize=False) as client:
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("neovim"), root_uri=workspace.as_uri()
            )
        )
        caps = result.capabilities
        assert caps.hover_provider and caps.document_symbol_provider
        assert list(caps.completion_provider.trigger_characters) == [" ", "|"]
        assert list(caps.code_action_provider.code_action_kinds) == [
            types.CodeActionKind.QuickFix,
            protocol.FIX_ALL_CODE_ACTION_KIND,
        ]
