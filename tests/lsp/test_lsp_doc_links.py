"""The code of every diagnostic links to documentation that exists: the page installed with the
server by default, else under `[docs] base_url` of config.toml or the editor's `docsBaseUrl`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from lsp_harness import (
    CONFIG,
    DESIGN,
    FLAWED,
    FLAWED_SEEN,
    eventually,
    make_workspace,
    open_document,
    pulls,
    shown_eventually,
)
from lsprotocol import types
from markdown_it import MarkdownIt
from pytest_lsp import LanguageClient

from codemyspec_lsp import protocol

OTHER = "docs/design/shop/catalog.md"
TEAM_DOCS = "https://wiki.example.com/codemyspec"
EDITOR_DOCS = "https://intranet.example.org/design-help/"


def hrefs_of(items: list[types.Diagnostic]) -> list[str]:
    return [d.code_description.href for d in items if d.code_description is not None]


def pushed_links(client: LanguageClient, uri: str) -> list[str]:
    return hrefs_of(client.diagnostics.get(uri, []))


async def shown_links(client: LanguageClient, uri: str) -> list[str]:
    """The links of the diagnostics the editor shows for an open `uri`."""
    if not pulls(client):
        return pushed_links(client, uri)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return hrefs_of(report.items)


def pages(hrefs: list[str]) -> set[str]:
    return {href.split("#")[0] for href in hrefs}


def headings(page: Path) -> set[str]:
    tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
    return {
        tokens[i + 1].content.lower()
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag == "h2"
    }


async def test_every_link_opens_an_existing_section(tmp_path: Path, open_client):
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED, OTHER: FLAWED})
    async with open_client(root) as client:
        scanned = (root / OTHER).as_uri()
        await shown_eventually(client, scanned, FLAWED_SEEN)
        opened = open_document(client, root / DESIGN)
        await shown_eventually(client, opened, FLAWED_SEEN)
        hrefs = pushed_links(client, scanned) + await shown_links(client, opened)
    assert len(hrefs) == 2 * len(FLAWED_SEEN)
    for href in hrefs:
        parts = urlsplit(href)
        assert parts.scheme == "file", href
        page = Path(url2pathname(parts.path))
        assert page.is_file(), href
        assert parts.fragment in headings(page), href
        assert parts.fragment == parts.fragment.lower().strip() and parts.fragment.startswith("cms")


async def test_the_config_and_then_the_editor_setting_move_the_links(tmp_path: Path, open_client):
    config = CONFIG + f'\n[docs]\nbase_url = "{TEAM_DOCS}"\n'
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED}, config=config)
    uri = (root / DESIGN).as_uri()
    async with open_client(root, settings={}) as client:
        await shown_eventually(client, uri, FLAWED_SEEN)
        hrefs = pushed_links(client, uri)
        assert pages(hrefs) == {f"{TEAM_DOCS}/diagnostics.md"}
        assert sorted(h.split("#")[1] for h in hrefs) == ["cms101", "cms101", "cms120"]

        # The editor's setting wins over the file: everything is validated again.
        client.set_configuration({protocol.CONFIG_SECTION: {"docsBaseUrl": EDITOR_DOCS}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        editor_page = f"{EDITOR_DOCS}diagnostics.md"
        await eventually(lambda: pages(pushed_links(client, uri)) == {editor_page})

        # An open document too (pulled by a client that pulls).
        opened = open_document(client, root / DESIGN)
        await shown_eventually(client, opened, FLAWED_SEEN)
        assert pages(await shown_links(client, opened)) == {editor_page}
