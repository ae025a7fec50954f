"""Every diagnostic links to a section of docs/diagnostics.md that exists and explains it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
from markdown_it import MarkdownIt

from codemyspec_lsp.architecture import checks
from codemyspec_lsp.design import component_rules, rules
from codemyspec_lsp.design.diagnostics import Diagnostic, Position, Range, Severity
from codemyspec_lsp.docs import check_base_url

DOCS = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
# Every code of design-format.md's table.
CODES = [
    "CMS001",
    "CMS100",
    "CMS101",
    "CMS102",
    "CMS103",
    "CMS104",
    "CMS110",
    "CMS111",
    "CMS112",
    "CMS113",
    "CMS114",
    "CMS115",
    "CMS116",
    "CMS117",
    "CMS120",
    "CMS121",
    # Across files (architecture.md).
    "CMS130",
    "CMS131",
    "CMS132",
]


def sections(page: Path = DOCS) -> dict[str, str]:
    """The H2 sections of the page by their anchor (GitHub's: the heading in lower case)."""
    text = page.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    lines = text.splitlines()
    starts = [
        (tokens[i + 1].content, tok.map[0])
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag == "h2" and tok.map
    ]
    bounds = [*(line for _, line in starts[1:]), len(lines)]
    return {
        title.lower(): "\n".join(lines[line:end])
        for (title, line), end in zip(starts, bounds, strict=True)
    }


def test_the_page_documents_exactly_the_codes_the_validator_reports():
    source = Path(rules.__file__).read_text(encoding="utf-8")
    source += Path(checks.__file__).read_text(encoding="utf-8")
    source += Path(component_rules.__file__).read_text(encoding="utf-8")
    reported = set(re.findall(r'"(CMS\d{3})"', source))
    assert reported == set(CODES)
    assert sorted(sections()) == sorted(code.lower() for code in CODES)


def test_each_code_has_a_wrong_and_a_right_example():
    for anchor, body in sections().items():
        assert "Wrong" in body and "Right" in body, anchor


def linked_page(href: str) -> tuple[Path, str]:
    """The file a `file:` link opens, and its anchor."""
    parts = urlsplit(href)
    assert parts.scheme == "file", href
    return Path(url2pathname(parts.path)), parts.fragment


def test_a_diagnostic_links_to_its_section_of_the_installed_page():
    diagnostic = Diagnostic("CMS113", Severity.ERROR, Range(Position(0, 0), Position(0, 1)), "m")
    page, anchor = linked_page(diagnostic.to_lsp()["codeDescription"]["href"])
    assert page.is_file() and page.name == "diagnostics.md"
    assert page.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")
    assert anchor == "cms113" and anchor in sections(page)


def test_a_base_url_moves_every_link():
    diagnostic = Diagnostic("CMS101", Severity.ERROR, Range(Position(0, 0), Position(0, 1)), "m")
    for base in ("https://wiki.example.com/codemyspec", "https://wiki.example.com/codemyspec/"):
        href = diagnostic.to_lsp(base)["codeDescription"]["href"]
        assert href == "https://wiki.example.com/codemyspec/diagnostics.md#cms101"


@pytest.mark.parametrize(
    "bad", ["docs", "/usr/share/doc", "wiki.example.com/x", "https://", "ftp://host/x", ""]
)
def test_a_base_url_must_be_absolute(bad):
    with pytest.raises(ValueError, match="absolute"):
        check_base_url(bad)
