"""A required heading deleted in the middle of a design: its content is left under the
previous section, and the missing-section fix and fix-all put the heading back above that
content (editing/orphans.py has the rule) instead of appending an empty section at the end.
Where the rule cannot tell whose content is whose, the section is appended as before, and
no fix ever removes a line of what was written."""

from __future__ import annotations

import pytest

from codemyspec_lsp.design.validator import ValidationOptions, validate_design
from codemyspec_lsp.editing.fixes import fix_all, fixes_for
from codemyspec_lsp.editing.textedit import apply_edits

RESTORE = "Restore heading '{}' above its paragraph"


def delete_heading(text: str, title: str) -> str:
    assert f"## {title}\n" in text
    return text.replace(f"## {title}\n", "", 1)


def missing_fix(text: str, title: str, options: ValidationOptions | None = None):
    report = validate_design(text, options)
    [diagnostic] = [
        d for d in report.diagnostics if d.code == "CMS101" and d.data["section"] == title
    ]
    return report, fixes_for(diagnostic, report, text)


def codes(text: str, options: ValidationOptions | None = None) -> list[str]:
    return [d.code for d in validate_design(text, options).diagnostics]


def keeps_every_line(before: str, after: str) -> bool:
    """Every line written before is still there, in the same order (only lines were added)."""
    remaining = iter(after.splitlines())
    return all(any(line == other for other in remaining) for line in before.splitlines())


# Each deleted heading's content is a different kind of block from the previous section's.
@pytest.mark.parametrize(
    "title",
    [
        "Entity Ownership",  # a bullet list under Purpose's paragraph
        "Public API",  # a code fence under Access Patterns' list
        "State Management Strategy",  # a paragraph under Public API's fence
        "Execution Flow",  # a numbered list under a paragraph
        "Dependencies",  # a bullet list under Execution Flow's numbered list
        "Test Assertions",  # a bullet list under the last section's paragraph
    ],
)
def test_a_heading_deleted_in_the_middle_is_restored_above_its_content(valid_accounts, title):
    text = delete_heading(valid_accounts, title)
    report, fixes = missing_fix(text, title)
    assert fixes[0].title == RESTORE.format(title)
    assert fixes[0].preferred
    assert apply_edits(text, fixes[0].edits) == valid_accounts
    # Fix-all (source.fixAll) does the same: the design is whole again, with no diagnostic.
    fixed = apply_edits(text, fix_all(report, text))
    assert fixed == valid_accounts
    assert codes(fixed) == []


def test_the_components_heading_goes_back_above_the_first_component(valid_accounts):
    text = delete_heading(valid_accounts, "Components")
    report, fixes = missing_fix(text, "Components")
    assert fixes[0].title == RESTORE.format("Components")
    fixed = apply_edits(text, fix_all(report, text))
    lines = fixed.splitlines()
    heading = lines.index("## Components")
    assert lines[heading - 3 : heading] == ["- Shop.Mailer: sends the confirmation mail", "", ""]
    assert lines[heading + 1] == "### Accounts.Account"
    assert codes(fixed) == []
    assert len(validate_design(fixed).source_map.components) == 2


def test_a_heading_set_off_by_a_blank_line_when_the_content_follows_directly():
    text = "# A\n\n## Purpose\nOwns A.\n```elixir\n@spec f() :: :ok\n```\n"
    options = ValidationOptions(required_sections=("purpose", "public api"))
    _report, fixes = missing_fix(text, "Public API", options)
    assert fixes[0].title == RESTORE.format("Public API")
    fixed = apply_edits(text, fixes[0].edits)
    assert (
        fixed == "# A\n\n## Purpose\nOwns A.\n\n## Public API\n```elixir\n@spec f() :: :ok\n```\n"
    )
    assert codes(fixed, options) == []


def test_crlf_lines_stay_crlf(valid_accounts):
    text = delete_heading(valid_accounts, "Execution Flow").replace("\n", "\r\n")
    _report, fixes = missing_fix(text, "Execution Flow")
    assert apply_edits(text, fixes[0].edits) == valid_accounts.replace("\n", "\r\n")


def appended(text: str, title: str, options: ValidationOptions | None = None) -> str:
    """The fix where the rule does not apply: a new section, nothing written removed."""
    report, fixes = missing_fix(text, title, options)
    assert fixes[0].title == f"Add section '{title}'", [f.title for f in fixes]
    fixed = apply_edits(text, fix_all(report, text))
    assert keeps_every_line(text, fixed)
    assert f"## {title}\n<!-- " in fixed
    return fixed


def test_two_sections_written_alike_are_not_split(valid_accounts):
    # Entity Ownership and Access Patterns are both bullet lists: whose item is whose
    # cannot be told (Markdown even merges them into one list).
    appended(delete_heading(valid_accounts, "Access Patterns"), "Access Patterns")


def test_prose_after_components_stays_with_the_last_component(valid_accounts):
    # Test Strategies' paragraph reads like the last component's description.
    fixed = appended(delete_heading(valid_accounts, "Test Strategies"), "Test Strategies")
    assert "CMS114" not in codes(fixed)


def test_a_section_never_written_does_not_take_its_neighbours_content():
    # Purpose has two paragraphs of its own; Entity Ownership (a list) was never written.
    text = "# A\n\n## Purpose\nOwns A.\n\nAnd B.\n\n## Access Patterns\n- by id\n"
    options = ValidationOptions(
        required_sections=("purpose", "entity ownership", "access patterns")
    )
    fixed = appended(text, "Entity Ownership", options)
    assert "Owns A.\n\nAnd B.\n\n## Entity Ownership\n<!-- " in fixed


def test_two_missing_at_one_place_are_appended(valid_accounts):
    text = delete_heading(delete_heading(valid_accounts, "Public API"), "State Management Strategy")
    appended(text, "Public API")
    appended(text, "State Management Strategy")


def test_the_previous_section_is_never_emptied():
    text = "# A\n\n## Purpose\n- owns A\n\n## Access Patterns\n- by id\n"
    options = ValidationOptions(
        required_sections=("purpose", "entity ownership", "access patterns")
    )
    fixed = appended(text, "Entity Ownership", options)
    assert fixed.startswith("# A\n\n## Purpose\n- owns A\n")
    assert validate_design(fixed, options).source_map.section("Purpose").has_content


def test_a_setext_heading_is_not_a_block_of_its_section():
    # Purpose's underline is its heading's: its only block is the list.
    text = "# A\n\nPurpose\n-------\nOwns A.\n\n- an item\n"
    options = ValidationOptions(required_sections=("purpose", "entity ownership"))
    _report, fixes = missing_fix(text, "Entity Ownership", options)
    assert fixes[0].title == RESTORE.format("Entity Ownership")
    assert apply_edits(text, fixes[0].edits).endswith("Owns A.\n\n## Entity Ownership\n- an item\n")
    appended("# A\n\nPurpose\n-------\n- owns A\n", "Entity Ownership", options)


def test_a_setext_title_keeps_its_underline():
    text = "Accounts\n========\n\nOwns A.\n\n## Dependencies\n- None\n"
    options = ValidationOptions(required_sections=("purpose", "dependencies"))
    _report, fixes = missing_fix(text, "Purpose", options)
    fixed = apply_edits(text, fixes[0].edits)
    assert fixed == "Accounts\n========\n\n## Purpose\nOwns A.\n\n## Dependencies\n- None\n"
    assert codes(fixed, options) == []


def test_a_place_that_is_not_the_end_of_the_previous_section_is_left_alone():
    # Another section stands between Purpose and Access Patterns: Entity Ownership's place
    # is not the end of Purpose, so Purpose's list is not taken for its content.
    text = (
        "# A\n\n## Purpose\nOwns A.\n\n- and B\n\n## Notes\nfree\n\n## Access Patterns\n- by id\n"
    )
    options = ValidationOptions(
        required_sections=("purpose", "entity ownership", "access patterns")
    )
    fixed = appended(text, "Entity Ownership", options)
    assert "Owns A.\n\n- and B\n\n## Entity Ownership\n<!-- " in fixed


@pytest.mark.parametrize("heading", ["#### Notes", "###### Notes"])
def test_components_go_back_above_the_first_component_not_another_heading(valid_accounts, heading):
    # Dependencies ends with a note under a heading of its own that is no component (not
    # an H3): Components' heading goes back above the first H3, the note stays put.
    text = valid_accounts.replace(
        "- Shop.Mailer: sends the confirmation mail\n",
        f"- Shop.Mailer: sends the confirmation mail\n\n{heading}\n\nThe mailer is async.\n",
    )
    text = delete_heading(text, "Components")
    _report, fixes = missing_fix(text, "Components")
    assert fixes[0].title == RESTORE.format("Components")
    fixed = apply_edits(text, fixes[0].edits)
    lines = fixed.splitlines()
    at = lines.index("## Components")
    assert lines[at - 5 : at] == [heading, "", "The mailer is async.", "", ""]
    assert lines[at + 1] == "### Accounts.Account"
    assert codes(fixed) == []
