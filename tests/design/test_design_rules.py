"""Every diagnostic code: a document raising it at the right line, and a near one that must not."""

from __future__ import annotations

import pytest
from design_text import COMPONENTS, component, design, line_of

from codemyspec_lsp.design.diagnostics import Diagnostic, Severity
from codemyspec_lsp.design.validator import ValidationOptions, validate_design


def diags(text: str | bytes, **options: object) -> list[Diagnostic]:
    return validate_design(text, ValidationOptions(**options)).diagnostics  # type: ignore[arg-type]


def found(text: str | bytes, code: str, **options: object) -> list[Diagnostic]:
    return [d for d in diags(text, **options) if d.code == code]


def only(text: str | bytes, code: str, **options: object) -> Diagnostic:
    hits = found(text, code, **options)
    assert len(hits) == 1, diags(text, **options)
    return hits[0]


def test_valid_design_has_no_diagnostics():
    assert diags(design()) == []


# -- CMS001 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", "", "   \n\n\t\n", b"\xff\xfe# Accounts", "# Acc\ud800ounts", b"\xef\xbb\xbf\n"],
)
def test_unreadable_or_empty_input_is_cms001(content):
    report = validate_design(content)
    assert [(d.code, d.range.start.line, d.severity) for d in report.diagnostics] == [
        ("CMS001", 0, Severity.ERROR)
    ]
    assert report.design is None


def test_file_over_the_size_limit_is_cms001():
    text = design()
    d = only(text, "CMS001", max_file_bytes=len(text.encode()) - 1)
    assert "limit" in d.message
    assert found(text, "CMS001", max_file_bytes=len(text.encode())) == []


def test_a_tiny_document_is_no_cms001():
    assert found("# Accounts", "CMS001") == []


# -- CMS100 / CMS101 -----------------------------------------------------------------------


def test_missing_title_is_cms100_on_line_0():
    d = only(design(title=None), "CMS100")
    assert d.range.start.line == 0 and d.severity == Severity.WARNING


@pytest.mark.parametrize("title", ["\n\n# Accounts", "Accounts\n========"])
def test_a_late_or_setext_title_is_no_cms100(title):
    assert found(title + "\n\n" + design(title=None), "CMS100") == []


def test_missing_section_is_cms101_on_the_h1_line_naming_it():
    text = "\n\n" + design(Purpose=None)
    d = only(text, "CMS101")
    assert d.range.start.line == 2
    assert "Purpose" in d.message and d.data == {"section": "Purpose"}


def test_missing_section_without_title_is_cms101_on_line_0():
    d = only(design(title=None, Purpose=None), "CMS101")
    assert d.range.start.line == 0


def test_one_cms101_per_missing_section():
    text = design(Purpose=None, Public_API=None, Test_Assertions=None)
    assert sorted(d.data["section"] for d in found(text, "CMS101")) == [
        "Public API",
        "Purpose",
        "Test Assertions",
    ]


def test_section_titles_match_in_any_case_and_spacing():
    text = design().replace("## Entity Ownership", "##    entity   OWNERSHIP   ##")
    assert diags(text) == []


def test_required_sections_come_from_the_options():
    text = design(Purpose=None, Test_Assertions=None)
    assert found(text, "CMS101", required_sections=("purpose", "components")) == found(
        text, "CMS101", required_sections=("purpose",)
    )
    assert [d.data["section"] for d in found(text, "CMS101", required_sections=("Purpose",))] == [
        "Purpose"
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        "```\n## Purpose\nnot a heading\n```",
        "<div>\n## Purpose\n</div>",
        "- ## Purpose",
        "    ## Purpose",
    ],
)
def test_a_heading_in_a_fence_html_list_or_indented_code_is_no_section(hidden):
    text = design(Purpose=None, Access_Patterns="- Scoped\n\n" + hidden)
    assert [d.data["section"] for d in found(text, "CMS101")] == ["Purpose"]


# -- CMS102 / CMS103 / CMS104 -------------------------------------------------------------


def test_empty_required_section_is_cms102_at_its_heading():
    text = design(State_Management_Strategy="")
    d = only(text, "CMS102")
    assert d.range.start.line == line_of(text, "## State Management Strategy")
    assert d.data == {"section": "State Management Strategy"}


def test_a_comment_alone_is_no_content():
    text = design(Purpose="<!-- say why this context exists -->")
    assert only(text, "CMS102").data == {"section": "Purpose"}


def test_section_with_content_or_not_required_is_no_cms102():
    assert found(design(Purpose="One line."), "CMS102") == []
    text = design(Purpose="")
    assert found(text, "CMS102", required_sections=("components",)) == []


def test_repeated_section_is_cms103_at_the_later_heading():
    text = design() + "\n## purpose\nAgain.\n"
    d = only(text, "CMS103")
    assert d.range.start.line == line_of(text, "## purpose")
    assert d.severity == Severity.WARNING


def test_same_title_as_h3_is_no_cms103():
    assert found(design(Access_Patterns="### Purpose\nScoped."), "CMS103") == []


def test_near_miss_title_is_cms104_naming_the_known_title():
    text = design() + "\n## Public APIs\nMore.\n"
    d = only(text, "CMS104")
    assert d.range.start.line == line_of(text, "## Public APIs")
    assert d.severity == Severity.INFORMATION
    assert "Public API'" in d.message and d.data == {"suggestion": "Public API"}


def test_other_sections_are_kept_without_diagnostics():
    text = design() + "\n## Glossary\nTerms.\n"
    report = validate_design(text)
    assert report.diagnostics == []
    assert report.design is not None and report.design.other_sections == {"Glossary": "Terms."}


# -- components ---------------------------------------------------------------------------


def with_component(block: str) -> str:
    return design(Components=COMPONENTS + "\n\n" + block)


def test_component_without_table_is_cms110_at_its_heading():
    text = with_component("### Accounts.Search\n\nFull-text search.")
    d = only(text, "CMS110")
    assert d.range.start.line == line_of(text, "### Accounts.Search")
    assert d.data == {"component": "Accounts.Search"}


def test_table_without_type_row_is_cms110():
    block = "### Accounts.Search\n\n| field | value |\n| --- | --- |\n| table | x |\n\nSearch."
    assert only(with_component(block), "CMS110").range.start.line == line_of(
        with_component(block), "### Accounts.Search"
    )


def test_type_row_anywhere_any_case_with_alignment_is_no_cms110():
    block = (
        "### Accounts.Search\n\n| FIELD | Value |\n|:------|------:|\n| table | x |\n"
        "| owner | me |\n| Type | GenServer |\n\nSearch."
    )
    report = validate_design(with_component(block))
    assert report.diagnostics == []
    assert report.design is not None
    search = report.design.components[-1]
    assert search.type == "genserver"
    assert search.table == {"table": "x", "owner": "me", "type": "GenServer"}


def test_disallowed_type_is_cms111_on_the_type_row():
    block = component(type_="model")
    text = with_component(block)
    d = only(text, "CMS111")
    assert d.range.start.line == line_of(text, "| type | model |")
    assert d.data == {"type": "model", "closest": []}


def test_cms111_data_offers_the_closest_types():
    assert only(with_component(component(type_="Schemas")), "CMS111").data["closest"][0] == "schema"


@pytest.mark.parametrize("type_", ["Schema", "LIVEVIEW", "`schema`", "coordination_context"])
def test_allowed_type_in_any_case_is_no_cms111(type_):
    assert found(with_component(component(type_=type_)), "CMS111") == []


@pytest.mark.parametrize("name", ["accounts.search", "Accounts Search", "Accounts-Search"])
def test_name_that_is_no_module_is_cms112(name):
    text = with_component(component(name=name))
    assert only(text, "CMS112").range.start.line == line_of(text, f"### {name}")
    assert found(text, "CMS113") == []


def test_name_over_255_characters_is_cms112():
    assert only(with_component(component(name="A." + "B" * 254)), "CMS112")
    assert found(with_component(component(name="A." + "B" * 253)), "CMS112") == []


def test_unqualified_name_is_cms113_with_the_qualified_name():
    text = with_component(component(name="Search"))
    d = only(text, "CMS113")
    assert d.range.start.line == line_of(text, "### Search")
    assert d.data == {"qualified": "Accounts.Search"}
    d = only(text, "CMS113", context_module="Shop.Accounts")
    assert d.data == {"qualified": "Shop.Accounts.Search"}


def test_qualified_name_is_no_cms113():
    assert found(with_component(component(name="Shop.Accounts.Search")), "CMS113") == []


def test_component_without_description_is_cms114():
    text = with_component(component(name="Accounts.Search", description=""))
    assert only(text, "CMS114").range.start.line == line_of(text, "### Accounts.Search")


def test_description_with_pipes_is_kept_and_no_cms114():
    block = component(name="Accounts.Search", description="Parses `a | b` and a|b queries.")
    report = validate_design(with_component(block))
    assert report.diagnostics == []
    assert report.design is not None
    assert report.design.components[-1].description == "Parses `a | b` and a|b queries."


def test_escaped_pipe_in_a_table_cell_is_one_cell():
    block = component(name="Accounts.Search").replace(
        "| type | other |", "| type | other |\n| note | a \\| b |"
    )
    report = validate_design(with_component(block))
    assert report.diagnostics == []
    assert report.design is not None and report.design.components[-1].table["note"] == "a | b"


def test_description_over_1500_characters_is_cms115_at_its_first_line():
    text = with_component(component(name="Accounts.Search", description="x" * 1501))
    d = only(text, "CMS115")
    assert d.range.start.line == line_of(text, "x" * 100)
    ok = with_component(component(name="Accounts.Search", description="x" * 1500))
    assert found(ok, "CMS115") == []


def test_repeated_component_is_cms116_at_the_later_heading():
    text = with_component(component(name="Accounts.Account"))
    d = only(text, "CMS116")
    assert d.range.start.line == line_of(text, "### Accounts.Account", line_of(text, "Queries"))


def test_distinct_components_are_no_cms116():
    assert found(with_component(component(name="Accounts.Other")), "CMS116") == []


def test_components_without_h3_is_cms117():
    text = design(Components="Account and its repository.")
    assert only(text, "CMS117").range.start.line == line_of(text, "## Components")


def test_components_h3_outside_components_is_not_a_component():
    report = validate_design(design(Purpose="Owns accounts.\n\n### Not.AComponent\n\nText."))
    assert report.design is not None
    assert [c.module_name for c in report.design.components] == [
        "Accounts.Account",
        "Accounts.AccountRepository",
    ]
    assert found(design(), "CMS117") == []


# -- dependencies -------------------------------------------------------------------------


def test_dependency_that_is_no_module_is_cms120_on_its_item():
    text = design(Dependencies="- Shop.Repo\n- shop helpers: utilities")
    d = only(text, "CMS120")
    assert d.range.start.line == line_of(text, "- shop helpers")
    assert d.range.start.character == 0


@pytest.mark.parametrize(
    "items", ["- Ecto", "- `Shop.Repo`: persistence", "- None", "* Shop.Repo\n* Shop.Mailer"]
)
def test_module_items_and_none_are_no_cms120(items):
    assert diags(design(Dependencies=items)) == []


def test_dependencies_are_parsed_with_reasons():
    report = validate_design(design())
    assert report.design is not None
    assert [(d.module, d.reason) for d in report.design.dependencies] == [
        ("Shop.Repo", None),
        ("Shop.Mailer", "sends mail"),
    ]
    none = validate_design(design(Dependencies="- None"))
    assert none.design is not None and none.design.dependencies == []


def test_dependencies_without_list_is_cms121():
    text = design(Dependencies="Shop.Repo and Shop.Mailer.")
    assert only(text, "CMS121").range.start.line == line_of(text, "## Dependencies")
    assert found(design(), "CMS121") == []


# -- reporting ----------------------------------------------------------------------------


def test_diagnostics_are_sorted_and_each_problem_reported_once():
    text = with_component(component(name="bad name", type_="model", description=""))
    report = validate_design(text)
    starts = [(d.range.start.line, d.range.start.character) for d in report.diagnostics]
    assert starts == sorted(starts)
    assert sorted(d.code for d in report.diagnostics) == ["CMS111", "CMS112", "CMS114"]
    assert report.has_errors and len(report.errors) == 3 and report.warnings == []
