"""Property tests: any document, even random bytes, validates without raising, the same way
twice, with every range inside the document."""

from __future__ import annotations

import re

from design_text import design
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemyspec_lsp.design.sections import COMPONENT_TYPES, KNOWN_SECTIONS
from codemyspec_lsp.design.validator import ValidationReport, validate_design

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet=st.sampled_from("abcXYZ .|:`*#-_=>\\😀é\t\x00"), min_size=0, max_size=20)
titles = st.one_of(st.sampled_from([s.title for s in KNOWN_SECTIONS]), words)
modules = st.one_of(st.sampled_from(["Accounts.Account", "Shop.Repo", "Search", "bad name"]), words)


def heading(level: int) -> st.SearchStrategy[str]:
    atx = st.builds(lambda t, pad: f"{' ' * pad}{'#' * level} {t}", titles, st.integers(0, 3))
    if level > 2:
        return atx
    setext = st.builds(
        lambda t: f"{t or 'x'}\n{'=' if level == 1 else '-'}{'=' if level == 1 else '-'}", titles
    )
    return st.one_of(atx, setext)


table = st.builds(
    lambda rows, align: (
        "| field | value |\n|"
        + (":--|--:|" if align else "---|---|")
        + "".join(f"\n| {k} | {v} |" for k, v in rows)
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["type", "TYPE", "table", "x"]),
            st.one_of(st.sampled_from(list(COMPONENT_TYPES)), words),
        ),
        max_size=4,
    ),
    st.booleans(),
)
blocks = st.one_of(
    heading(1),
    heading(2),
    heading(3),
    st.builds(lambda m: f"### {m}", modules),
    words,
    table,
    st.builds(lambda body: f"```\n{body}\n```", st.one_of(heading(2), words)),
    st.builds(lambda body: f"<div>\n{body}\n</div>", heading(2)),
    st.builds(lambda items: "\n".join(f"- {i}" for i in items), st.lists(modules, max_size=4)),
    st.builds(lambda item: f"1. {item}", words),
    st.just("<!-- comment -->"),
)
documents = st.builds(
    lambda parts, sep: sep.join(parts),
    st.lists(blocks, max_size=25),
    st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\r"]),
)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def assert_ranges_inside(text: str, report: ValidationReport) -> None:
    lines = re.split(r"\r\n?|\n", text)
    for d in report.diagnostics:
        for pos in (d.range.start, d.range.end):
            assert 0 <= pos.line < len(lines), d
            assert 0 <= pos.character <= utf16_len(lines[pos.line]), d
        assert d.range.start <= d.range.end, d


def check(content: str | bytes) -> ValidationReport:
    first = validate_design(content)
    second = validate_design(content)
    assert first == second
    assert [d.data for d in first.diagnostics] == [d.data for d in second.diagnostics]
    return first


@SETTINGS
@given(documents)
def test_structured_documents_never_raise_and_ranges_stay_inside(text):
    report = check(text)
    assert_ranges_inside(text, report)
    if text.strip(" \t\r\n"):
        # CMS001 on readable text would mean the validator failed internally.
        assert [d.code for d in report.diagnostics if d.code == "CMS001"] == []


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    report = check(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        assert [d.code for d in report.diagnostics] == ["CMS001"]
        return
    assert_ranges_inside(text, report)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_never_raises(text):
    report = check(text)
    assert_ranges_inside(text, report)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["\n", "\r\n"]), st.sampled_from([s.title for s in KNOWN_SECTIONS]))
def test_valid_design_in_any_heading_case_has_no_diagnostics(ending, title):
    text = design().replace(f"## {title}\n", f"##   {title.upper()}  \n").replace("\n", ending)
    assert validate_design(text).diagnostics == []
