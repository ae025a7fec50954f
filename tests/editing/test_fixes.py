"""Quick fixes and fix-all: apply the edit, validate again, the problem is gone and nothing
new appears, except that an inserted section is still empty (CMS102) until someone writes it:
a fix never makes an error vanish with words that say nothing."""

from __future__ import annotations

import pytest

from codemyspec_lsp.design.validator import ValidationOptions, validate_design
from codemyspec_lsp.editing.fixes import fix_all, fixes_for
from codemyspec_lsp.editing.textedit import apply_edits


def codes(text: str, options: ValidationOptions | None = None) -> list[tuple[str, int]]:
    return [(d.code, d.range.start.line) for d in validate_design(text, options).diagnostics]


def only(text: str, code: str, **data: object):
    report = validate_design(text)
    found = [
        d
        for d in report.diagnostics
        if d.code == code and all(d.data.get(k) == v for k, v in data.items())
    ]
    assert len(found) == 1, report.diagnostics
    return report, found[0]


def apply_fix(text: str, code: str, title: str | None = None, **data: object) -> str:
    report, diagnostic = only(text, code, **data)
    fixes = fixes_for(diagnostic, report, text)
    assert fixes, f"no fix for {code}"
    fix = fixes[0] if title is None else next(f for f in fixes if f.title == title)
    return apply_edits(text, fix.edits)


def without(before: str, after: str, code: str, **data: object) -> list[tuple[str, str]]:
    """The diagnostics of `after` that `before` did not have, by code and message."""
    old = {(d.code, d.message) for d in validate_design(before).diagnostics}
    new = [(d.code, d.message) for d in validate_design(after).diagnostics]
    gone = [
        d
        for d in validate_design(after).diagnostics
        if d.code == code and all(d.data.get(k) == v for k, v in data.items())
    ]
    assert not gone, f"{code} still there"
    return [item for item in new if item not in old]


TWO_SECTIONS = ValidationOptions(required_sections=("purpose", "dependencies"))


def fix_only(text: str, options: ValidationOptions = TWO_SECTIONS) -> str:
    """Apply the first fix of the document's only diagnostic; what is left is at most the
    one empty section the fix inserted (its guidance is a comment, not content)."""
    report = validate_design(text, options)
    [diagnostic] = report.diagnostics
    fixed = apply_edits(text, fixes_for(diagnostic, report, text)[0].edits)
    assert [code for code, _ in codes(fixed, options)] in ([], ["CMS102"])
    return fixed


@pytest.mark.parametrize("section", ["Entity Ownership", "Access Patterns", "Test Assertions"])
def test_missing_section_inserted_where_the_order_puts_it(invalid_catalog, section):
    fixed = apply_fix(invalid_catalog, "CMS101", section=section)
    assert [code for code, _ in without(invalid_catalog, fixed, "CMS101", section=section)] == [
        "CMS102"
    ]
    titles = [s.title for s in validate_design(fixed).source_map.sections]
    # The usual order: after the nearest earlier known section present.
    expected_after = {
        "Entity Ownership": "Purpose",
        "Access Patterns": "Purpose",
        "Test Assertions": "Test Strategies",
    }[section]
    assert titles[titles.index(section) - 1] == expected_after
    assert f"## {section}\n<!-- " in fixed


def test_missing_section_prefers_renaming_its_near_miss(invalid_catalog):
    report, diagnostic = only(invalid_catalog, "CMS101", section="Public API")
    fixes = fixes_for(diagnostic, report, invalid_catalog)
    assert [f.title for f in fixes] == [
        "Rename 'Public APIs' to 'Public API'",
        "Add section 'Public API'",
    ]
    assert [f.preferred for f in fixes] == [True, False]
    fixed = apply_edits(invalid_catalog, fixes[0].edits)
    assert without(invalid_catalog, fixed, "CMS101", section="Public API") == []
    assert "CMS104" not in {c for c, _ in codes(fixed)}


def test_missing_section_before_the_first_present_when_none_precedes():
    fixed = fix_only("# Accounts\n\n## Dependencies\n- None\n")
    assert fixed.startswith("# Accounts\n\n## Purpose\n<!-- ")
    assert fixed.endswith("\n\n## Dependencies\n- None\n")


def test_missing_section_at_the_end_of_a_file_without_final_newline():
    fixed = fix_only("# Accounts\n\n## Purpose\nOwns accounts.")
    assert fixed.startswith("# Accounts\n\n## Purpose\nOwns accounts.\n\n## Dependencies\n<!-- ")
    assert fixed.endswith(" -->\n")


def test_crlf_document_keeps_its_line_breaks():
    fixed = fix_only("# Accounts\r\n\r\n## Purpose\r\n\r\n## Dependencies\r\n- None\r\n")
    assert "## Purpose\r\n<!-- " in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_empty_section_gets_only_its_guidance_as_a_comment_and_stays_an_error(invalid_catalog):
    report, diagnostic = only(invalid_catalog, "CMS102")
    [fix] = fixes_for(diagnostic, report, invalid_catalog)
    assert not fix.preferred  # not part of fix-all: it does not fix anything
    fixed = apply_edits(invalid_catalog, fix.edits)
    assert "## State Management Strategy\n<!-- Where the state lives" in fixed
    assert [c for c, _ in codes(fixed)].count("CMS102") == 1  # a comment is no content
    # Offered once: with the comment in place there is nothing left to insert.
    again = validate_design(fixed)
    [still] = [d for d in again.diagnostics if d.code == "CMS102"]
    assert fixes_for(still, again, fixed) == []


def test_a_section_holding_only_a_comment_or_placeholder_words_is_judged_by_its_words():
    options = TWO_SECTIONS
    assert [
        c
        for c, _ in codes(
            "# A\n\n## Purpose\n<!-- say why -->\n\n## Dependencies\n- None\n", options
        )
    ] == ["CMS102"]
    assert codes("# A\n\n## Purpose\nOwns A.\n\n## Dependencies\n- None\n", options) == []


def test_a_deleted_heading_is_restored_above_its_orphaned_paragraph():
    # `## Purpose` was deleted: its paragraph now sits under the title.
    text = "# Accounts\n\nOwns the accounts of the shop.\n\n## Dependencies\n- None\n"
    report, diagnostic = only(text, "CMS101", section="Purpose")
    fixes = fixes_for(diagnostic, report, text)
    assert fixes[0].title == "Restore heading 'Purpose' above its paragraph"
    fixed = apply_edits(text, fixes[0].edits)
    assert (
        fixed
        == "# Accounts\n\n## Purpose\nOwns the accounts of the shop.\n\n## Dependencies\n- None\n"
    )
    assert codes(fixed, TWO_SECTIONS) == []
    assert apply_edits(text, fix_all(report, text)).startswith(
        "# Accounts\n\n## Purpose\nOwns the accounts"
    )


def test_empty_setext_section_keeps_its_underline():
    fixed = fix_only("# A\n\nPurpose\n-------\n\n## Dependencies\n- None\n")
    assert fixed.startswith("# A\n\nPurpose\n-------\n<!-- ")


def test_near_miss_title_renamed(invalid_catalog):
    fixed = apply_fix(invalid_catalog, "CMS104")
    assert "## Public API\n" in fixed
    assert without(invalid_catalog, fixed, "CMS104") == []
    assert ("CMS101", 0) in codes(fixed)  # the others are still missing ...
    assert not any(
        d.data.get("section") == "Public API" for d in validate_design(fixed).diagnostics
    )


def test_near_miss_not_renamed_onto_an_existing_section(valid_accounts):
    text = valid_accounts.replace(
        "## Test Strategies", "## Public APIs\nmore\n\n## Test Strategies"
    )
    report, diagnostic = only(text, "CMS104")
    assert fixes_for(diagnostic, report, text) == []


def test_invalid_type_offers_every_type_when_none_is_close(invalid_catalog):
    report, diagnostic = only(invalid_catalog, "CMS111")
    fixes = fixes_for(diagnostic, report, invalid_catalog)
    assert len(fixes) == 10
    assert not any(f.preferred for f in fixes)
    fixed = apply_edits(invalid_catalog, fixes[3].edits)  # schema
    assert "| type  | schema |" in fixed
    assert without(invalid_catalog, fixed, "CMS111") == []


def test_invalid_type_close_to_one_is_preferred(valid_accounts):
    text = valid_accounts.replace("| type  | schema |", "| type  | `shema` |")
    report, diagnostic = only(text, "CMS111")
    fixes = fixes_for(diagnostic, report, text)
    assert [(f.title, f.preferred) for f in fixes] == [("Change type to 'schema'", True)]
    fixed = apply_edits(text, fixes[0].edits)
    assert "| type  | `schema` |" in fixed
    assert codes(fixed) == []


def test_unqualified_name_qualified(invalid_catalog):
    fixed = apply_fix(invalid_catalog, "CMS113")
    assert "### Catalog.PriceCalculator\n" in fixed
    assert without(invalid_catalog, fixed, "CMS113") == []


def test_unqualified_name_uses_the_context_module_option(valid_accounts):
    text = valid_accounts.replace("### Accounts.Account\n", "### Account\n")
    options = ValidationOptions(context_module="Shop.Accounts")
    report = validate_design(text, options)
    [diagnostic] = [d for d in report.diagnostics if d.code == "CMS113"]
    fixed = apply_edits(text, fixes_for(diagnostic, report, text)[0].edits)
    assert "### Shop.Accounts.Account\n" in fixed
    assert codes(fixed, options) == []


def test_component_without_table_gets_one_per_type(invalid_catalog):
    report, diagnostic = only(invalid_catalog, "CMS110")
    fixes = fixes_for(diagnostic, report, invalid_catalog)
    assert len(fixes) == 10 and not any(f.preferred for f in fixes)
    fixed = apply_edits(invalid_catalog, fixes[-1].edits)  # other
    assert (
        "### Catalog.Search\n\n| field | value |\n| ----- | ----- |\n| type  | other |\n\n"
        "Full-text search" in fixed
    )
    assert without(invalid_catalog, fixed, "CMS110") == []


def test_table_without_type_row_gets_a_row(valid_accounts):
    text = valid_accounts.replace("| type  | schema |\n", "")
    report, diagnostic = only(text, "CMS110")
    fixes = fixes_for(diagnostic, report, text)
    fixed = apply_edits(text, next(f for f in fixes if "'schema'" in f.title).edits)
    assert "| table | accounts |\n| type | schema |\n" in fixed
    assert codes(fixed) == []


def test_description_directly_under_heading_stays_a_paragraph(valid_accounts):
    text = valid_accounts.replace(
        "### Accounts.AccountRepository\n\n| field | value      |\n| ----- | ---------- |\n"
        "| type  | repository |\n\n",
        "### Accounts.AccountRepository\n",
    )
    report, diagnostic = only(text, "CMS110")
    fixed = apply_edits(text, fixes_for(diagnostic, report, text)[4].edits)
    assert codes(fixed) == []


def test_fix_all_on_the_invalid_catalog_leaves_only_what_needs_a_choice(invalid_catalog):
    report = validate_design(invalid_catalog)
    fixed = apply_edits(invalid_catalog, fix_all(report, invalid_catalog))
    remaining = validate_design(fixed)
    # The inserted sections hold only their guidance as a comment: still empty (CMS102) until
    # someone writes them, as is the empty State Management Strategy (fix-all writes no
    # words). The type 'model' is close to no allowed type, Catalog.Search's type is the
    # author's choice, and 'shop helpers' names no module: no fix can decide these.
    shown = [(d.code, fixed.splitlines()[d.range.start.line]) for d in remaining.diagnostics]
    assert [item for item in shown if item[0] == "CMS102"] == [
        ("CMS102", "## Entity Ownership"),
        ("CMS102", "## Access Patterns"),
        ("CMS102", "## State Management Strategy"),
        ("CMS102", "## Test Assertions"),
    ]
    assert [item for item in shown if item[0] != "CMS102"] == [
        ("CMS111", "| type  | model |"),
        ("CMS110", "### Catalog.Search"),
        ("CMS120", "- shop helpers"),
    ]
    titles = [s.title for s in remaining.source_map.sections]
    assert titles == [
        "Purpose",
        "Entity Ownership",
        "Access Patterns",
        "Public API",
        "State Management Strategy",
        "Execution Flow",
        "Components",
        "Dependencies",
        "Test Strategies",
        "Test Assertions",
    ]


def test_fix_all_on_a_valid_design_changes_nothing(valid_accounts):
    assert fix_all(validate_design(valid_accounts), valid_accounts) == []


def test_fix_all_is_idempotent(invalid_catalog):
    once = apply_edits(invalid_catalog, fix_all(validate_design(invalid_catalog), invalid_catalog))
    assert fix_all(validate_design(once), once) == []


def test_fix_all_fills_an_almost_empty_document():
    text = "# Accounts\n"
    fixed = apply_edits(text, fix_all(validate_design(text), text))
    # Every section inserted with only its guidance as a comment: each is still empty.
    assert [code for code, _ in codes(fixed)] == ["CMS102"] * 10
    assert fixed.count("\n## ") == 10
    assert "Describe what this context" not in fixed
