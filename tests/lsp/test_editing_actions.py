"""Quick fixes and fix-all through a real server, as Neovim (pull) and VS Code (push) use them:
ask for the actions where the problem is, apply the edit, and see the problem gone with
nothing new in its place."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_harness import (
    PATIENCE,
    apply_lsp_edits,
    make_workspace,
    open_document,
    pulls,
    replace_document,
)
from lsprotocol import types

from codemyspec_lsp import protocol

DATA = Path(__file__).resolve().parents[1] / "design" / "data"
CATALOG = (DATA / "invalid_catalog.md").read_text(encoding="utf-8")
DESIGN = "docs/design/shop/catalog.md"

# What the editor shows for the catalog as written: (code, line, message start).
CATALOG_SEEN = [
    ("CMS101", 0, "Required section 'Entity Ownership'"),
    ("CMS101", 0, "Required section 'Access Patterns'"),
    ("CMS101", 0, "Required section 'Public API'"),
    ("CMS101", 0, "Required section 'Test Assertions'"),
    ("CMS104", 5, "Unknown section 'Public APIs'"),
    ("CMS102", 10, "Section 'State Management Strategy'"),
    ("CMS111", 21, "Component type 'model'"),
    ("CMS113", 25, "Component 'PriceCalculator'"),
    ("CMS110", 33, "Component 'Catalog.Search'"),
    ("CMS120", 39, "Dependency 'shop helpers'"),
]


async def raw_problems(client, uri: str) -> list[types.Diagnostic]:
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return list(report.items)
    return list(client.diagnostics.get(uri, []))


async def shows(client, uri: str, check) -> list[types.Diagnostic]:
    """Wait until what the editor shows passes `check`."""
    deadline = asyncio.get_running_loop().time() + PATIENCE.seconds
    while True:
        items = await raw_problems(client, uri)
        if check(items):
            return items
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError([(d.code, d.range.start.line, d.message) for d in items])
        await asyncio.sleep(0.05)


def as_seen(items: list[types.Diagnostic]) -> list[tuple[str, int, str]]:
    return sorted(
        ((str(d.code), d.range.start.line, d.message) for d in items),
        key=lambda t: (t[1], t[0], t[2]),
    )


def matches_catalog(items: list[types.Diagnostic]) -> bool:
    seen = as_seen(items)
    expected = sorted(CATALOG_SEEN, key=lambda t: (t[1], t[0], t[2]))
    return len(seen) == len(expected) and all(
        s[0] == e[0] and s[1] == e[1] and s[2].startswith(e[2])
        for s, e in zip(seen, expected, strict=True)
    )


def applied(text: str, edit: types.WorkspaceEdit, uri: str, version: int) -> str:
    """Apply a WorkspaceEdit as an editor does, checking it names this document version."""
    assert edit.changes is None
    [change] = edit.document_changes or []
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.uri == uri
    assert change.text_document.version == version
    return apply_lsp_edits(text, change.edits)


async def actions_at(client, uri: str, where: types.Range, diagnostics, only=None):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )


@pytest.fixture
def catalog_workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "shop", {DESIGN: CATALOG})


# (code, the start of the message that picks the diagnostic, the action's title)
QUICK_FIXES = [
    ("CMS101", "Required section 'Entity Ownership'", "Add section 'Entity Ownership'"),
    ("CMS101", "Required section 'Public API'", "Rename 'Public APIs' to 'Public API'"),
    ("CMS104", "Unknown section 'Public APIs'", "Rename to 'Public API'"),
    ("CMS111", "Component type 'model'", "Change type to 'schema'"),
    ("CMS113", "Component 'PriceCalculator'", "Qualify as 'Catalog.PriceCalculator'"),
    ("CMS110", "Component 'Catalog.Search'", "Add a type table with type 'other'"),
]


@pytest.mark.parametrize(("code", "message", "title"), QUICK_FIXES)
async def test_quick_fix_removes_its_problem_and_adds_none(
    catalog_workspace, open_client, code, message, title
):
    async with open_client(catalog_workspace) as client:
        uri = open_document(client, catalog_workspace / DESIGN)
        before = await shows(client, uri, matches_catalog)
        [target] = [d for d in before if d.code == code and d.message.startswith(message)]

        actions = await actions_at(client, uri, target.range, [target])
        mine = [a for a in actions or [] if a.kind == types.CodeActionKind.QuickFix]
        for_target = [
            a for a in mine if a.diagnostics and a.diagnostics[0].message == target.message
        ]
        chosen = for_target[0] if title is None else next(a for a in for_target if a.title == title)
        assert bool(chosen.is_preferred) == (code not in ("CMS111", "CMS110"))

        fixed = applied(CATALOG, chosen.edit, uri, version=1)
        replace_document(client, uri, 2, fixed)
        gone = {(target.code, target.message)}
        if code in ("CMS101", "CMS104") and "Public API" in message + (title or ""):
            # Renaming 'Public APIs' solves both the near miss and the missing section.
            gone = {
                (str(d.code), d.message)
                for d in before
                if d.code == "CMS104" or "'Public API'" in d.message
            }
        expected = sorted(
            (str(d.code), d.message) for d in before if (d.code, d.message) not in gone
        )
        if title is not None and title.startswith("Add section"):
            # The inserted section holds only its guidance as a comment: empty until written.
            section = title.removeprefix("Add section ")
            expected = sorted([*expected, ("CMS102", next(m for c, m in EMPTY if section in m))])
        await shows(
            client, uri, lambda items: sorted((str(d.code), d.message) for d in items) == expected
        )


# The message CMS102 gives an inserted, still empty section (its guidance is a comment).
EMPTY = [
    (
        "CMS102",
        "Section 'Entity Ownership' is empty: write its content under the heading. A bullet "
        "list of the entities (schemas, records) this context creates and changes; no other "
        "context writes them.",
    )
]


async def test_empty_section_fix_only_adds_guidance_and_the_error_stays(
    catalog_workspace, open_client
):
    async with open_client(catalog_workspace) as client:
        uri = open_document(client, catalog_workspace / DESIGN)
        before = await shows(client, uri, matches_catalog)
        [target] = [d for d in before if d.code == "CMS102"]
        actions = await actions_at(client, uri, target.range, [target])
        [chosen] = [a for a in actions or [] if a.kind == types.CodeActionKind.QuickFix]
        assert chosen.title == "Insert the guidance for 'State Management Strategy' as a comment"
        assert not chosen.is_preferred
        fixed = applied(CATALOG, chosen.edit, uri, version=1)
        replace_document(client, uri, 2, fixed)
        expected = sorted((str(d.code), d.message) for d in before)
        await shows(
            client, uri, lambda items: sorted((str(d.code), d.message) for d in items) == expected
        )


async def test_fix_all_leaves_only_what_needs_a_choice(catalog_workspace, open_client):
    async with open_client(catalog_workspace) as client:
        uri = open_document(client, catalog_workspace / DESIGN)
        await shows(client, uri, matches_catalog)
        # Asked for as editors ask on save: only the fix-all kind, anywhere in the file.
        actions = await actions_at(
            client,
            uri,
            types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            [],
            only=[protocol.FIX_ALL_CODE_ACTION_KIND],
        )
        [fix_all] = actions or []
        assert fix_all.kind == protocol.FIX_ALL_CODE_ACTION_KIND
        fixed = applied(CATALOG, fix_all.edit, uri, version=1)
        replace_document(client, uri, 2, fixed)
        lines = fixed.splitlines()
        items = await shows(client, uri, lambda items: len(items) == 7)
        # Fix-all writes no words: the sections it inserted, and the one that was empty, stay
        # empty (CMS102) until someone writes them.
        assert sorted((str(d.code), lines[d.range.start.line]) for d in items) == [
            ("CMS102", "## Access Patterns"),
            ("CMS102", "## Entity Ownership"),
            ("CMS102", "## State Management Strategy"),
            ("CMS102", "## Test Assertions"),
            ("CMS110", "### Catalog.Search"),
            ("CMS111", "| type  | model |"),
            ("CMS120", "- shop helpers"),
        ]
        # Nothing is left for fix-all to do.
        again = await actions_at(
            client,
            uri,
            types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            [],
            only=[protocol.FIX_ALL_CODE_ACTION_KIND],
        )
        assert not again


async def test_actions_are_only_for_design_documents(catalog_workspace, open_client):
    async with open_client(catalog_workspace) as client:
        uri = open_document(client, catalog_workspace / "README.md", text=CATALOG)
        where = types.Range(start=types.Position(0, 0), end=types.Position(0, 9))
        assert not await actions_at(client, uri, where, [])


ACCOUNTS = (DATA / "valid_accounts.md").read_text(encoding="utf-8")
ACCOUNTS_DESIGN = "docs/design/shop/accounts.md"
# `## State Management Strategy` deleted: its paragraph is left under Public API's fence.
ORPHANED = ACCOUNTS.replace("## State Management Strategy\n", "", 1)
ORPHAN_LINE = "All state is kept in the database; confirmation tokens expire after two days."


@pytest.mark.parametrize("how", ["quick fix", "fix all"])
async def test_a_heading_deleted_in_the_middle_comes_back_above_its_paragraph(
    tmp_path, open_client, how
):
    root = make_workspace(tmp_path / "shop", {ACCOUNTS_DESIGN: ORPHANED})
    async with open_client(root) as client:
        uri = open_document(client, root / ACCOUNTS_DESIGN)
        before = await shows(client, uri, lambda items: any(d.code == "CMS101" for d in items))
        [missing] = [d for d in before if d.code == "CMS101"]
        assert "'State Management Strategy'" in missing.message
        if how == "quick fix":
            actions = await actions_at(client, uri, missing.range, [missing])
            [chosen] = [
                a
                for a in actions or []
                if a.kind == types.CodeActionKind.QuickFix
                and a.diagnostics
                and a.diagnostics[0].message == missing.message
            ]
            assert chosen.title == "Restore heading 'State Management Strategy' above its paragraph"
            assert chosen.is_preferred
        else:
            where = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
            only = [protocol.FIX_ALL_CODE_ACTION_KIND]
            [chosen] = await actions_at(client, uri, where, [], only=only) or []
        fixed = applied(ORPHANED, chosen.edit, uri, version=1)
        lines = fixed.splitlines()
        # The heading stands right above the paragraph, not appended at the end.
        assert lines[lines.index(ORPHAN_LINE) - 1] == "## State Management Strategy"
        assert fixed == ACCOUNTS
        replace_document(client, uri, 2, fixed)
        after = await shows(client, uri, lambda items: not any(d.code == "CMS101" for d in items))
        assert [(d.code, d.message) for d in after if d.severity == 1] == []
