"""Incremental validation gives exactly what validating the whole text gives, after every
edit of random edit sequences on random designs; and an edit re-parses only its part."""

from __future__ import annotations

from design_text import design
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_design_properties import blocks, documents

from codemyspec_lsp.design.incremental import IncrementalValidator
from codemyspec_lsp.design.validator import ValidationOptions, ValidationReport, validate_design

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What typing inserts: single characters, the marks that open and close blocks, whole blocks.
fragments = st.one_of(
    st.sampled_from(
        [
            "x",
            "#",
            "# ",
            "## ",
            "### ",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "```",
            "~~~",
            "-",
            "---",
            "===",
            "|",
            " | ",
            "<!--",
            "-->",
            "<div>",
            "</div>",
            "> ",
            "    ",
            "- ",
            "1. ",
            "[a]: /u",
            "[a]",
            "Components",
            "Dependencies",
            "\ufeff",
            "😀",
            "\t",
        ]
    ),
    blocks,
)


@st.composite
def edit(draw: st.DrawFn, text: str) -> str:
    # Half the edits start at a line start, where headings, fences and list items begin.
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c in "\r\n"]
    start = draw(st.one_of(st.integers(0, len(text)), st.sampled_from(line_starts)))
    end = min(len(text), start + draw(st.sampled_from([0, 0, 1, 2, 5, 20, 200])))
    return text[:start] + draw(fragments) + text[end:]


options_strategy = st.builds(
    ValidationOptions,
    required_sections=st.sampled_from(
        [ValidationOptions().required_sections, ("purpose", "components"), ()]
    ),
    context_module=st.sampled_from([None, "Shop.Accounts"]),
)


def as_compared(report: ValidationReport) -> tuple[object, ...]:
    source_map = report.source_map
    ranges: tuple[object, ...] = ()
    if source_map is not None:
        ranges = (
            source_map.title,
            [(s.heading, s.range) for s in source_map.sections],
            [(c.heading, c.range, c.description_range) for c in source_map.components],
            [[r.range for r in c.rows] for c in source_map.components],
            [d.range for d in source_map.dependencies],
        )
    return (
        [d.to_lsp() for d in report.diagnostics],
        None if report.design is None else report.design.dump(),
        source_map,
        ranges,
    )


@SETTINGS
@given(
    start=st.one_of(documents, st.just(design())),
    options=options_strategy,
    data=st.data(),
)
def test_incremental_equals_full_after_every_edit(
    start: str, options: ValidationOptions, data: st.DataObject
) -> None:
    validator = IncrementalValidator()
    text = start
    assert as_compared(validator.validate(text, options)) == as_compared(
        validate_design(text, options)
    )
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        text = data.draw(edit(text), label="text")
        assert as_compared(validator.validate(text, options)) == as_compared(
            validate_design(text, options)
        ), repr(text)


def long_design(components: int) -> str:
    return design(
        Components="\n".join(
            f"### Accounts.Part{n}\n\n| field | value |\n| --- | --- |\n| type | schema |\n\n"
            f"Part {n}.\n"
            for n in range(components)
        )
    )


def test_a_one_line_edit_reparses_only_its_component() -> None:
    text = long_design(500)
    lines = text.split("\n")
    validator = IncrementalValidator()
    options = ValidationOptions()
    validator.validate(text, options)
    assert validator.reparsed_lines == len(lines)

    row = lines.index("| type | schema |", len(lines) // 2)
    lines[row] = "| type | schemaa |"
    edited = "\n".join(lines)
    report = validator.validate(edited, options)
    assert validator.reparsed_lines < 12
    assert [d.code for d in report.diagnostics] == ["CMS111"]
    assert report.diagnostics[0].range.start.line == row
    assert as_compared(report) == as_compared(validate_design(edited, options))

    # A fence opened and left open swallows everything after it: parsed to the end.
    lines.insert(row, "```")
    fenced = "\n".join(lines)
    assert as_compared(validator.validate(fenced, options)) == as_compared(
        validate_design(fenced, options)
    )
    assert validator.reparsed_lines > len(lines) - row - 1


def test_a_component_with_subheadings_is_read_again_when_they_change() -> None:
    # The component runs on past its own chunk (a #### heading starts the next one): an
    # edit there must not reuse the component as read before.
    text = design(
        Components="### Accounts.Account\n\n| field | value |\n| --- | --- |\n"
        "| type | schema |\n\nShort.\n\n#### Notes\n\nMore."
    )
    validator = IncrementalValidator()
    options = ValidationOptions()
    validator.validate(text, options)
    for edited in (
        text.replace("More.", "More, and more."),
        text.replace("More.", "More.\n\nA new paragraph."),
        text.replace("#### Notes", "### Accounts.Notes"),
    ):
        assert as_compared(validator.validate(edited, options)) == as_compared(
            validate_design(edited, options)
        )
