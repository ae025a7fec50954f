"""Diagnostics a user sees while editing designs, as Neovim (pull) and VS Code (push)."""

from __future__ import annotations

from lsp_harness import (
    DESIGN,
    FLAWED,
    FLAWED_SEEN,
    VALID,
    close_document,
    edit_line,
    eventually,
    lsp_client,
    make_workspace,
    open_document,
    pulls,
    pushed,
    replace_document,
    shown,
    shown_eventually,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

from codemyspec_lsp import protocol


async def test_an_edit_that_breaks_a_section_and_the_edit_that_fixes_it(tmp_path, open_client):
    root = make_workspace(tmp_path / "shop", {DESIGN: VALID})
    async with open_client(root) as client:
        uri = open_document(client, root / DESIGN)
        await shown_eventually(client, uri, [])

        edit_line(client, uri, 2, 29, "| type  | scheme |")
        await shown_eventually(client, uri, [("CMS111", 29)])

        edit_line(client, uri, 3, 33, "## Test Strategy")
        await shown_eventually(client, uri, [("CMS101", 0), ("CMS104", 33), ("CMS111", 29)])

        edit_line(client, uri, 4, 29, "| type  | schema |")
        edit_line(client, uri, 5, 33, "## Test Strategies")
        await shown_eventually(client, uri, [])


async def test_pushed_diagnostics_carry_the_document_version(tmp_path, open_client):
    root = make_workspace(tmp_path / "shop", {DESIGN: VALID})
    async with open_client(root) as client:
        uri = open_document(client, root / DESIGN)
        replace_document(client, uri, 7, FLAWED)
        await shown_eventually(client, uri, FLAWED_SEEN)
        if not pulls(client):
            assert client.diagnostics[uri] is not None
            # pytest-lsp keeps only the diagnostics; the version is checked on the wire
            # by its spec checks. A pull client must not be pushed the same problems.
        else:
            assert pushed(client, uri) == []


async def test_every_broken_design_is_seen_without_opening_it(tmp_path, open_client):
    designs = {
        DESIGN: FLAWED,
        "docs/design/shop/catalog.md": VALID,
        "docs/design/shop_web/orders.md": FLAWED,
    }
    root = make_workspace(tmp_path / "shop", designs)
    async with open_client(root) as client:
        await shown_eventually(client, (root / DESIGN).as_uri(), FLAWED_SEEN)
        orders = (root / "docs/design/shop_web/orders.md").as_uri()
        await shown_eventually(client, orders, FLAWED_SEEN)
        assert pushed(client, (root / "docs/design/shop/catalog.md").as_uri()) == []
        # The scan reported its progress.
        assert await eventually(lambda: any(client.progress_reports.values()))


async def test_a_pull_client_opening_a_scanned_file_sees_each_problem_once(tmp_path, open_client):
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED})
    async with open_client(root) as client:
        uri = (root / DESIGN).as_uri()
        await shown_eventually(client, uri, FLAWED_SEEN)
        open_document(client, root / DESIGN)
        await shown_eventually(client, uri, FLAWED_SEEN)
        if pulls(client):
            await eventually(lambda: pushed(client, uri) == [])


async def test_markdown_outside_the_design_dir_gets_none(tmp_path, open_client):
    root = make_workspace(tmp_path / "shop", {"notes/accounts.md": FLAWED})
    async with open_client(root) as client:
        readme = open_document(client, root / "README.md")
        notes = open_document(client, root / "notes/accounts.md")
        # A design opened after them is validated: so they had their turn.
        design = root / DESIGN
        design.parent.mkdir(parents=True)
        design.write_text(FLAWED, encoding="utf-8")
        design_uri = open_document(client, design)
        await shown_eventually(client, design_uri, FLAWED_SEEN)
        assert await shown(client, readme) == []
        assert await shown(client, notes) == []
        assert readme not in client.diagnostics or client.diagnostics[readme] == []


async def test_closing_a_design_keeps_the_problems_of_the_file_on_disk(tmp_path, open_client):
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED})
    async with open_client(root) as client:
        uri = open_document(client, root / DESIGN)
        await shown_eventually(client, uri, FLAWED_SEEN)
        replace_document(client, uri, 2, VALID)  # fixed in the buffer, not saved
        await shown_eventually(client, uri, [])
        close_document(client, uri)
        await shown_eventually(client, uri, FLAWED_SEEN)


async def test_a_pull_client_that_can_refresh_is_asked_to_when_settings_change(tmp_path):
    capabilities = client_capabilities("neovim")
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED})
    async with lsp_client("neovim", root, capabilities=capabilities) as client:
        uri = open_document(client, root / DESIGN)
        await shown_eventually(client, uri, FLAWED_SEEN)
        before = client.diagnostic_refresh_count
        client.set_configuration({protocol.CONFIG_SECTION: {"requiredSections": ["purpose"]}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await eventually(lambda: client.diagnostic_refresh_count > before)
        assert await shown(client, uri) == [("CMS120", 21)]
        assert pushed(client, uri) == []
