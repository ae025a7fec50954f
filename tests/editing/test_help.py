"""Hover, completion and the outline, from the document text and its report."""

from __future__ import annotations

from codemyspec_lsp.design.diagnostics import Position
from codemyspec_lsp.design.sections import COMPONENT_TYPES, KNOWN_SECTIONS, section_for
from codemyspec_lsp.design.validator import validate_design
from codemyspec_lsp.editing.completion import complete
from codemyspec_lsp.editing.hover import hover_at
from codemyspec_lsp.editing.outline import outline
from codemyspec_lsp.editing.textedit import apply_edits


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line)


# -- hover -------------------------------------------------------------------------------


def test_hover_on_a_section_heading_gives_its_guidance(valid_accounts):
    line = line_of(valid_accounts, "## Access Patterns")
    hover = hover_at(validate_design(valid_accounts).source_map, Position(line, 5))
    spec = section_for("Access Patterns")
    assert hover is not None and spec is not None
    assert hover.markdown == f"**Access Patterns**: {spec.guidance}"
    assert hover.range.start.line == line


def test_hover_on_an_unknown_section_lists_the_known_ones(invalid_catalog):
    hover = hover_at(validate_design(invalid_catalog).source_map, Position(5, 4))
    assert hover is not None
    assert hover.markdown.startswith("**Public APIs** is not a known section")
    assert "Public API, State Management Strategy" in hover.markdown


def test_hover_on_a_type_row_explains_the_type(valid_accounts):
    line = line_of(valid_accounts, "| type  | repository |")
    hover = hover_at(validate_design(valid_accounts).source_map, Position(line, 12))
    assert hover is not None
    assert hover.markdown == f"**repository**: {COMPONENT_TYPES['repository']}"


def test_hover_on_an_invalid_type_lists_the_allowed_ones(invalid_catalog):
    hover = hover_at(validate_design(invalid_catalog).source_map, Position(21, 12))
    assert hover is not None
    assert hover.markdown.startswith("'model' is not an allowed component type")
    assert all(f"**{kind}**" in hover.markdown for kind in COMPONENT_TYPES)


def test_no_hover_in_plain_text(valid_accounts):
    line = line_of(valid_accounts, "- Shop.Repo")
    assert hover_at(validate_design(valid_accounts).source_map, Position(line, 3)) is None


# -- completion ----------------------------------------------------------------------------


def at_end(text: str, line: int) -> Position:
    return Position(line, len(text.splitlines()[line]))


def test_section_titles_after_hashes_missing_first(invalid_catalog):
    text = invalid_catalog + "\n## Te"
    line = len(text.splitlines()) - 1
    items = complete(text, validate_design(text).source_map, at_end(text, line))
    ordered = [i.label for i in sorted(items, key=lambda i: i.sort_text)]
    assert ordered[:4] == ["Entity Ownership", "Access Patterns", "Public API", "Test Assertions"]
    assert set(ordered) == {spec.title for spec in KNOWN_SECTIONS}
    chosen = next(i for i in items if i.label == "Test Assertions")
    assert apply_edits(text, [chosen.edit]).endswith("\n## Test Assertions")
    assert chosen.documentation.startswith("**Test Assertions**: ")


def test_section_title_completion_replaces_the_rest_of_the_heading(valid_accounts):
    line = line_of(valid_accounts, "## Purpose")
    items = complete(valid_accounts, None, Position(line, 4))
    chosen = next(i for i in items if i.label == "Public API")
    assert apply_edits(valid_accounts, [chosen.edit]).splitlines()[line] == "## Public API"


def test_component_types_in_a_type_row(invalid_catalog):
    line = 21  # | type  | model |
    items = complete(invalid_catalog, None, Position(line, 12))
    assert [i.label for i in items] == list(COMPONENT_TYPES)
    schema = items[3]
    assert apply_edits(invalid_catalog, [schema.edit]).splitlines()[line] == "| type  | schema |"


def test_module_names_in_dependencies(valid_accounts):
    text = valid_accounts.replace(
        "- Shop.Mailer: sends the confirmation mail",
        "- Shop.Mailer: sends the confirmation mail\n- Sh",
    )
    line = line_of(text, "- Sh")
    known = ["Shop.Catalog", "Shop.Repo", "Shop.Orders"]
    items = complete(text, validate_design(text).source_map, at_end(text, line), lambda: known)
    # Shop.Repo is listed already.
    assert [i.label for i in items] == ["Shop.Catalog", "Shop.Orders"]
    assert apply_edits(text, [items[0].edit]).splitlines()[line] == "- Shop.Catalog"


def test_no_module_names_in_other_lists(valid_accounts):
    line = line_of(valid_accounts, "- register/2 rejects a duplicate email address")
    position = Position(line, 2)
    assert (
        complete(
            valid_accounts,
            validate_design(valid_accounts).source_map,
            position,
            lambda: ["Shop.Catalog"],
        )
        == []
    )


def test_nothing_in_plain_text(valid_accounts):
    assert complete(valid_accounts, None, Position(3, 5)) == []


# -- outline -------------------------------------------------------------------------------


def flatten(symbols, depth=0):
    for symbol in symbols:
        yield depth, symbol.kind, symbol.name, symbol.detail
        yield from flatten(symbol.children, depth + 1)


def test_outline_nests_sections_and_components_under_the_title(valid_accounts):
    tree = list(flatten(outline(validate_design(valid_accounts).source_map)))
    assert tree == [
        (0, "context", "Accounts", ""),
        (1, "section", "Purpose", ""),
        (1, "section", "Entity Ownership", ""),
        (1, "section", "Access Patterns", ""),
        (1, "section", "Public API", ""),
        (1, "section", "State Management Strategy", ""),
        (1, "section", "Execution Flow", ""),
        (1, "section", "Dependencies", ""),
        (2, "dependency", "Shop.Repo", ""),
        (2, "dependency", "Shop.Mailer", "sends the confirmation mail"),
        (1, "section", "Components", ""),
        (2, "component", "Accounts.Account", "schema"),
        (2, "component", "Accounts.AccountRepository", "repository"),
        (1, "section", "Test Strategies", ""),
        (1, "section", "Test Assertions", ""),
    ]


def test_outline_ranges_hold_their_children(invalid_catalog):
    def check(symbol):
        assert symbol.range.start <= symbol.selection.start
        assert symbol.selection.end <= symbol.range.end
        for child in symbol.children:
            assert symbol.range.start <= child.range.start and child.range.end <= symbol.range.end
            check(child)

    symbols = outline(validate_design(invalid_catalog).source_map)
    assert [s.name for s in symbols] == ["Catalog"]
    for symbol in symbols:
        check(symbol)
    unknown = next(s for s in symbols[0].children if s.name == "Public APIs")
    assert unknown.detail == "not a known section"


def test_outline_without_title_lists_sections():
    text = "## Purpose\nx\n\n## Other\ny\n"
    assert [(s.kind, s.name) for s in outline(validate_design(text).source_map)] == [
        ("section", "Purpose"),
        ("section", "Other"),
    ]
