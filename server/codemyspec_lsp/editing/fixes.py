"""Quick fixes for design diagnostics, and fix-all.

``fixes_for`` answers "what can I do about this diagnostic?" with one or more ``Fix``es,
each a set of text edits against the document the report was made from. A fix is
*preferred* when it is the only sensible one (no choice left to the author); ``fix_all``
applies exactly the preferred fixes of every diagnostic, merging the missing sections that
go to the same place into one insertion so they keep their usual order.

Where the fix needs to know where something is (a section's end, a type cell), it reads the
report's source map; the diagnostic's ``data`` carries the facts the validator already
worked out (the missing title, the closest types, the qualified name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from codemyspec_lsp.design.diagnostics import Diagnostic, Position, Range
from codemyspec_lsp.design.parser import ComponentEntry, SectionEntry, SourceMap
from codemyspec_lsp.design.sections import (
    COMPONENT_TYPES,
    SectionSpec,
    section_for,
)
from codemyspec_lsp.design.validator import ValidationReport
from codemyspec_lsp.editing.orphans import (
    ORDER,
    SETEXT_UNDERLINE,
    orphan_under_previous,
    orphan_under_title,
)
from codemyspec_lsp.editing.textedit import (
    TextEdit,
    column,
    end_of,
    line_break,
    non_overlapping,
    split_lines,
)


@dataclass(frozen=True)
class Fix:
    title: str
    diagnostic: Diagnostic
    edits: tuple[TextEdit, ...]
    preferred: bool = False
    # The missing section this fix inserts: fix-all merges those bound for one place.
    adds_section: SectionSpec | None = None


@dataclass(frozen=True)
class _Document:
    """The text a report was made from, split into lines, with the report's source map."""

    text: str
    source_map: SourceMap
    diagnostics: Sequence[Diagnostic]
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", split_lines(self.text))

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def is_blank(self, number: int) -> bool:
        return not self.line(number).strip()

    def eol(self, text: str) -> str:
        """``text`` (written with ``\\n``) with the document's own line breaks."""
        eol = line_break(self.text)
        return text if eol == "\n" else text.replace("\n", eol)

    def insert_after(self, line: int, block: str) -> TextEdit:
        """Insert ``block`` (lines ending in ``\\n``) on its own lines after ``line``."""
        if line + 1 < len(self.lines):
            return TextEdit.insert(Position(line + 1, 0), self.eol(block))
        # The last line of the file: there is no next line to insert at, so break this one.
        return TextEdit.insert(end_of(self.text), self.eol("\n" + block.rstrip("\n")))

    def find(self, line: int, needle: str, after: int = 0) -> Range | None:
        """Where ``needle`` is written on ``line`` at or after string index ``after``."""
        text = self.line(line)
        index = text.find(needle, after)
        if not needle or index < 0:
            return None
        return Range(
            Position(line, column(text, index)), Position(line, column(text, index + len(needle)))
        )


# -- the fixes, one function per code ----------------------------------------------------------

FixMaker = Callable[[_Document, Diagnostic], list[Fix]]


def _missing_section(doc: _Document, diagnostic: Diagnostic) -> list[Fix]:
    """CMS101: insert the section where the usual order puts it; if an unknown section is a
    near miss of it, renaming that one is the better fix (inserting would leave two). When
    its heading was deleted and its content left under the title or the previous section
    (the rule is in ``editing/orphans.py``), the heading is restored above that content."""
    title = str(diagnostic.data.get("section", ""))
    if not title:
        return []
    spec = _spec(title)
    fixes: list[Fix] = []
    near_miss = _near_miss_of(doc, spec)
    if near_miss is not None:
        fixes.append(
            Fix(
                f"Rename '{near_miss.title}' to '{spec.title}'",
                diagnostic,
                (_rename_edit(doc, near_miss, spec.title),),
                preferred=True,
            )
        )
    orphan = _orphan(doc, spec)
    if orphan is not None:
        # Set off from what ends the previous section (a paragraph, a list) by a blank line.
        gap = "" if orphan == 0 or doc.is_blank(orphan - 1) else "\n"
        heading = TextEdit.insert(Position(orphan, 0), doc.eol(f"{gap}## {spec.title}\n"))
        fixes.append(
            Fix(
                f"Restore heading '{spec.title}' above its paragraph",
                diagnostic,
                (heading,),
                preferred=near_miss is None,
            )
        )
        return fixes
    fixes.append(
        Fix(
            f"Add section '{spec.title}'",
            diagnostic,
            (_insert_sections(doc, _anchor(doc, spec), [spec]),),
            preferred=near_miss is None,
            adds_section=spec,
        )
    )
    return fixes


def _empty_section(doc: _Document, diagnostic: Diagnostic) -> list[Fix]:
    """CMS102: the guidance as a comment under the heading, for the writer to replace. Not
    preferred (so not part of fix-all): a comment is no content, the error stays until the
    section says something."""
    section = _section_at(doc.source_map, diagnostic.range)
    if section is None:
        return []
    spec = section.spec or _spec(section.title)
    body = _section_body(spec)
    if body.strip() in doc.text:
        return []
    # An empty section's range ends with its heading's text; a setext heading's underline
    # follows it and must stay attached.
    last = section.range.end.line
    if SETEXT_UNDERLINE.match(doc.line(last + 1)):
        last += 1
    edit = doc.insert_after(last, body)
    return [Fix(f"Insert the guidance for '{spec.title}' as a comment", diagnostic, (edit,), False)]


def _near_miss_title(doc: _Document, diagnostic: Diagnostic) -> list[Fix]:
    """CMS104: rename the heading to the known title, unless that section already exists."""
    suggestion = str(diagnostic.data.get("suggestion", ""))
    section = _section_at(doc.source_map, diagnostic.range)
    if section is None or not suggestion or doc.source_map.section(suggestion) is not None:
        return []
    edit = _rename_edit(doc, section, suggestion)
    return [Fix(f"Rename to '{suggestion}'", diagnostic, (edit,), preferred=True)]


def _missing_type_table(doc: _Document, diagnostic: Diagnostic) -> list[Fix]:
    """CMS110: one fix per allowed type (the type is the author's choice, so none is
    preferred): a type row added to the component's table, or a new table."""
    component = _component_at(doc.source_map, diagnostic.range)
    if component is None:
        return []
    if component.has_table and not component.rows:
        return []  # a header-only table: no row to anchor a new one to
    fixes = []
    for kind in COMPONENT_TYPES:
        if component.has_table:
            last_row = component.rows[-1].range.end.line
            edit = doc.insert_after(last_row, f"| type | {kind} |\n")
            title = f"Add a type row '{kind}'"
        else:
            edit = _insert_table(doc, component, kind)
            title = f"Add a type table with type '{kind}'"
        fixes.append(Fix(title, diagnostic, (edit,)))
    return fixes


def _invalid_type(doc: _Document, diagnostic: Diagnostic) -> list[Fix]:
    """CMS111: the closest allowed types, or all of them when none is close."""
    given = str(diagnostic.data.get("type", ""))
    line = diagnostic.range.start.line
    text = doc.line(line)
    field_at = text.lower().find("type")
    pipe = text.find("|", field_at) if field_at >= 0 else -1
    where = doc.find(line, given, pipe + 1) if pipe >= 0 else None
    if where is None:
        return []
    closest = [str(kind) for kind in diagnostic.data.get("closest", ()) if kind in COMPONENT_TYPES]
    choices = closest or list(COMPONENT_TYPES)
    return [
        Fix(
            f"Change type to '{kind}'",
            diagnostic,
            (TextEdit(where, kind),),
            preferred=len(closest) == 1,
        )
        for kind in choices
    ]


def _unqualified_name(doc: _Document, diagnostic: Diagnostic) -> list[Fix]:
    """CMS113: prefix the name with the context's module (the validator worked it out)."""
    qualified = str(diagnostic.data.get("qualified", ""))
    component = _component_at(doc.source_map, diagnostic.range)
    if not qualified or component is None:
        return []
    heading = component.heading
    text = doc.line(heading.start.line)
    where = doc.find(heading.start.line, component.module_name, text.find("#") + 1)
    if where is None:
        return []
    return [Fix(f"Qualify as '{qualified}'", diagnostic, (TextEdit(where, qualified),), True)]


_MAKERS: dict[str, FixMaker] = {
    "CMS101": _missing_section,
    "CMS102": _empty_section,
    "CMS104": _near_miss_title,
    "CMS110": _missing_type_table,
    "CMS111": _invalid_type,
    "CMS113": _unqualified_name,
}


def fixes_for(diagnostic: Diagnostic, report: ValidationReport, text: str) -> list[Fix]:
    """The fixes for one diagnostic of ``report`` (made from ``text``), preferred first."""
    maker = _MAKERS.get(diagnostic.code)
    if maker is None or report.source_map is None:
        return []
    fixes = maker(_Document(text, report.source_map, report.diagnostics), diagnostic)
    return sorted(fixes, key=lambda fix: not fix.preferred)


def fix_all(report: ValidationReport, text: str) -> list[TextEdit]:
    """The edits of every preferred fix at once, none overlapping another.

    Missing sections bound for the same place become one insertion in their usual order,
    so that several inserts at one point cannot come out shuffled or doubly spaced.
    """
    if report.source_map is None:
        return []
    doc = _Document(text, report.source_map, report.diagnostics)
    inserts: dict[Position, list[SectionSpec]] = {}
    edits: list[TextEdit] = []
    for diagnostic in report.diagnostics:
        fixes = [fix for fix in fixes_for(diagnostic, report, text) if fix.preferred]
        if not fixes:
            continue
        spec = fixes[0].adds_section
        if spec is not None:
            inserts.setdefault(_anchor(doc, spec), []).append(spec)
        else:
            edits.extend(fixes[0].edits)
    for anchor, specs in inserts.items():
        specs.sort(key=lambda spec: ORDER.get(spec.key, len(ORDER)))
        edits.append(_insert_sections(doc, anchor, specs))
    return non_overlapping(edits)


# -- where things are and what to write ---------------------------------------------------------


def _spec(title: str) -> SectionSpec:
    """The known section, or a bare one for a title the workspace requires beyond them."""
    return section_for(title) or SectionSpec(
        key=" ".join(title.split()).lower(),
        title=title,
        guidance="",
        placeholder="Write this section.",
    )


def _section_at(source_map: SourceMap, heading: Range) -> SectionEntry | None:
    return next((s for s in source_map.sections if s.heading == heading), None)


def _component_at(source_map: SourceMap, heading: Range) -> ComponentEntry | None:
    return next((c for c in source_map.components if c.heading == heading), None)


def _near_miss_of(doc: _Document, spec: SectionSpec) -> SectionEntry | None:
    """The unknown section the report calls a near miss of ``spec`` (its CMS104)."""
    return next(
        (
            section
            for d in doc.diagnostics
            if d.code == "CMS104" and d.data.get("suggestion") == spec.title
            for section in [_section_at(doc.source_map, d.range)]
            if section is not None
        ),
        None,
    )


def _anchor(doc: _Document, spec: SectionSpec) -> Position:
    """Where a missing section goes: after the nearest section that the usual order puts
    before it, else before the nearest one it puts after it, else at the end."""
    order = ORDER.get(spec.key)
    present = [s for s in doc.source_map.sections if s.spec is not None]
    if order is not None and present:
        before = [s for s in present if ORDER[s.key] < order]
        if before:
            previous = max(before, key=lambda s: ORDER[s.key])
            return _after_section(doc, previous)
        after = [s for s in present if ORDER[s.key] > order]
        if after:
            following = min(after, key=lambda s: ORDER[s.key])
            return Position(following.range.start.line, 0)
    return end_of(doc.text)


def _orphan(doc: _Document, spec: SectionSpec) -> int | None:
    """The line above which the deleted heading of ``spec`` goes back, if it was deleted."""
    args = (doc.lines, doc.source_map, doc.diagnostics, spec)
    return orphan_under_title(*args) if (line := orphan_under_previous(*args)) is None else line


def _after_section(doc: _Document, section: SectionEntry) -> Position:
    """The start of the heading that ends ``section``, or the end of the document."""
    later = [
        s.range.start.line
        for s in doc.source_map.sections
        if s.range.start.line > section.range.start.line
    ]
    return Position(min(later), 0) if later else end_of(doc.text)


def _section_body(spec: SectionSpec) -> str:
    """Only the guidance, as a comment: the validator counts no comment as content, so the
    section stays an error (CMS102) until someone writes it; no words that say nothing."""
    guidance = spec.guidance or f"Write the {spec.title} section."
    return f"<!-- {guidance.replace('--', '-')} -->\n"


def _insert_sections(doc: _Document, anchor: Position, specs: Sequence[SectionSpec]) -> TextEdit:
    """One insertion of the given sections at ``anchor``, each set off by blank lines."""
    blocks = "\n".join(f"## {spec.title}\n{_section_body(spec)}" for spec in specs)
    if anchor == end_of(doc.text) and anchor.character > 0:
        # The last line has text and no line break after it.
        return TextEdit.insert(anchor, doc.eol(f"\n\n{blocks}"))
    before = "" if anchor.line == 0 or doc.is_blank(anchor.line - 1) else "\n"
    after = "\n" if anchor.line < len(doc.lines) - 1 else ""  # a heading follows
    return TextEdit.insert(anchor, doc.eol(f"{before}{blocks}{after}"))


def _rename_edit(doc: _Document, section: SectionEntry, title: str) -> TextEdit:
    """Replace the heading's text (its ``##`` marker and any trailing ``##`` stay)."""
    heading = section.heading
    line = doc.line(heading.start.line)
    marker = len(line) - len(line.lstrip().lstrip("#"))
    where = doc.find(heading.start.line, section.title, marker)
    if where is not None:
        return TextEdit(where, title)
    # The title is written with inline markup: replace everything after the marker.
    after_marker = Position(heading.start.line, column(line, marker))
    return TextEdit(Range(after_marker, heading.end), f" {title}")


def _insert_table(doc: _Document, component: ComponentEntry, kind: str) -> TextEdit:
    """A field/value table after the heading, blank lines around it (a paragraph right
    after a table row would be read as another row)."""
    line = component.heading.end.line
    table = f"| field | value |\n| ----- | ----- |\n| type  | {kind} |\n"
    trailing = "" if doc.is_blank(line + 1) else "\n"
    return doc.insert_after(line, f"\n{table}{trailing}")
