"""What the parser makes of the Markdown: sections, components, ranges (UTF-16), line endings."""

from __future__ import annotations

import pytest
from design_text import design, line_of

from codemyspec_lsp.design.diagnostics import Position, Range
from codemyspec_lsp.design.parser import parse_design
from codemyspec_lsp.design.validator import validate_design


def as_lsp(text: str | bytes) -> list[tuple[str, dict]]:
    return [(d.code, d.range.to_lsp()) for d in validate_design(text).diagnostics]


def test_crlf_and_cr_line_endings_give_the_same_diagnostics_and_design():
    text = design(Purpose="", Dependencies="- bad one")
    lf = validate_design(text)
    for ending in ("\r\n", "\r"):
        other = validate_design(text.replace("\n", ending).encode())
        assert as_lsp(text.replace("\n", ending)) == as_lsp(text)
        assert other.design == lf.design


def test_setext_headings_are_sections():
    text = (
        design()
        .replace("## Purpose\n", "Purpose\n-------\n")
        .replace("# Accounts\n", "Accounts\n===\n")
    )
    report = validate_design(text)
    assert report.diagnostics == []
    assert report.design is not None and report.design.title == "Accounts"
    assert report.design.purpose == "Owns customer accounts."


def test_empty_setext_section_range_is_its_text_line():
    text = design(Purpose=None) + "\nPurpose\n---\n\n## Glossary\nx\n"
    d = next(d for d in validate_design(text).diagnostics if d.code == "CMS102")
    line = line_of(text, "Purpose", line_of(text, "## Test Assertions"))
    assert d.range == Range(Position(line, 0), Position(line, 7))


def test_heading_range_covers_the_heading_text_in_utf16_units():
    text = design() + "\n## Pub😀lic APIs  \nMore.\n"
    d = next(d for d in validate_design(text).diagnostics if d.code == "CMS104")
    line = line_of(text, "## Pub😀")
    # "## Pub😀lic APIs" is 15 code points; the emoji takes 2 UTF-16 units.
    assert d.range == Range(Position(line, 0), Position(line, 16))


def test_a_leading_bom_counts_one_unit_on_line_0():
    text = "\ufeff" + design(title=None)
    d = next(d for d in validate_design(text).diagnostics if d.code == "CMS100")
    assert d.range.start == Position(0, 1)
    assert [x.code for x in validate_design(("\ufeff" + design()).encode()).diagnostics] == []


def test_nul_characters_do_not_break_parsing():
    report = validate_design(design(Purpose="Owns\x00 accounts."))
    assert report.diagnostics == []


def test_section_text_is_the_raw_markdown_of_its_content():
    report = validate_design(design())
    assert report.design is not None
    assert report.design.public_api == "```elixir\n@spec register(map()) :: {:ok, Account.t()}\n```"
    assert report.design.execution_flow == "1. Validate\n2. Insert"


def test_first_occurrence_of_a_repeated_section_is_the_text():
    report = validate_design(design() + "\n## Purpose\nSecond.\n")
    assert report.design is not None and report.design.purpose == "Owns customer accounts."


def test_design_json_is_camel_case():
    report = validate_design(design())
    assert report.design is not None
    dumped = report.design.dump()
    assert set(dumped) == {
        "title", "purpose", "entityOwnership", "accessPatterns", "publicApi",
        "stateManagementStrategy", "executionFlow", "testStrategies", "testAssertions",
        "components", "dependencies", "otherSections",
    }  # fmt: skip
    assert dumped["components"][0] == {
        "moduleName": "Accounts.Account",
        "type": "schema",
        "description": "Ecto schema for a customer account.",
        "table": {"type": "schema", "table": "accounts"},
    }
    assert dumped["dependencies"][1] == {"module": "Shop.Mailer", "reason": "sends mail"}


def test_source_map_locates_sections_components_and_dependencies():
    text = design()
    source_map = parse_design(text).source_map
    assert source_map.title == Range(Position(0, 0), Position(0, 10))
    assert [s.title for s in source_map.sections][:2] == ["Purpose", "Entity Ownership"]
    purpose = source_map.section("  PURPOSE ")
    assert purpose is not None and purpose.heading.start.line == line_of(text, "## Purpose")
    assert source_map.section_at(line_of(text, "Owns customer")) == purpose
    account_line = line_of(text, "### Accounts.Account")
    component = source_map.component_at(account_line + 4)
    assert component is not None and component.module_name == "Accounts.Account"
    assert component.type_row is not None
    assert component.type_row.range.start.line == line_of(text, "| type  | schema |")
    assert [d.range.start.line for d in source_map.dependencies] == [
        line_of(text, "- Shop.Repo"),
        line_of(text, "- Shop.Mailer"),
    ]


@pytest.mark.parametrize("heading", ["## **Purpose**", "## `Purpose`", "## Purpose ##"])
def test_heading_markup_is_not_part_of_the_title(heading):
    assert validate_design(design().replace("## Purpose", heading)).diagnostics == []
