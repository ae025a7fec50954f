"""Completion where the format expects a known word: a section title after ``## ``, a
component type in a ``type`` row, a module name in a Dependencies list item."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from codemyspec_lsp.design.diagnostics import Position, Range
from codemyspec_lsp.design.parser import SectionEntry, SourceMap
from codemyspec_lsp.design.sections import COMPONENT_TYPES, KNOWN_SECTIONS
from codemyspec_lsp.editing.hover import section_help, type_help
from codemyspec_lsp.editing.textedit import TextEdit, column, index_in_line, split_lines

CompletionKind = Literal["section", "type", "module"]

# What the line holds before the cursor, for each place that completes.
_SECTION_HEADING = re.compile(r"^ {0,3}##[ \t]+(?P<word>[^#]*)$")
_TYPE_ROW = re.compile(r"^\s*\|?\s*[`*]*type[`*]*\s*\|\s*(?P<word>[\w`*]*)$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*[-*+][ \t]+(?P<word>[\w.]*)$")


@dataclass(frozen=True)
class Completion:
    label: str
    kind: CompletionKind
    detail: str
    documentation: str
    sort_text: str
    edit: TextEdit  # replaces the word being written


def complete(
    text: str,
    source_map: SourceMap | None,
    position: Position,
    known_modules: Callable[[], Iterable[str]] = tuple,
) -> list[Completion]:
    """The completions at ``position`` (none where the format expects nothing known).

    ``known_modules`` lists the workspace's contexts; it is called only in Dependencies.
    """
    lines = split_lines(text)
    if position.line >= len(lines):
        return []
    line = lines[position.line]
    prefix = line[: index_in_line(line, position.character)]
    sections = source_map.sections if source_map else ()
    if found := _SECTION_HEADING.match(prefix):
        return _section_titles(line, position.line, found.start("word"), sections)
    if found := _TYPE_ROW.match(prefix):
        return _types(line, position.line, found.start("word"))
    found = _LIST_ITEM.match(prefix)
    if found and _section_key_at(sections, position.line) == "dependencies":
        listed = {d.module for d in source_map.dependencies} if source_map else set()
        return _modules(line, position.line, found.start("word"), known_modules(), listed)
    return []


def _word_edit(line: str, number: int, start: int, stop: str) -> Range:
    """From ``start`` to where the word ends (before ``stop`` characters, trailing space)."""
    end = start
    while end < len(line) and line[end] not in stop:
        end += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return Range(Position(number, column(line, start)), Position(number, column(line, end)))


def _section_titles(
    line: str, number: int, start: int, sections: Sequence[SectionEntry]
) -> list[Completion]:
    """Every known title, the ones the document lacks first, then in their usual order."""
    where = _word_edit(line, number, start, "#")
    present = {s.key for s in sections if s.heading.start.line != number}
    items = []
    for order, spec in enumerate(KNOWN_SECTIONS):
        missing = spec.key not in present
        items.append(
            Completion(
                label=spec.title,
                kind="section",
                detail="missing section" if missing else "already in the document",
                documentation=section_help(spec),
                sort_text=f"{0 if missing else 1}{order:02d}",
                edit=TextEdit(where, spec.title),
            )
        )
    return items


def _types(line: str, number: int, start: int) -> list[Completion]:
    where = _word_edit(line, number, start, "|")
    return [
        Completion(
            kind,
            "type",
            COMPONENT_TYPES[kind],
            type_help(kind),
            f"{order:02d}",
            TextEdit(where, kind),
        )
        for order, kind in enumerate(COMPONENT_TYPES)
    ]


def _modules(
    line: str, number: int, start: int, known: Iterable[str], listed: set[str]
) -> list[Completion]:
    where = _word_edit(line, number, start, ":")
    return [
        Completion(
            module,
            "module",
            "known context",
            f"The context `{module}`.",
            f"{order:04d}",
            TextEdit(where, module),
        )
        for order, module in enumerate(sorted(set(known) - listed))
    ]


def _section_key_at(sections: Sequence[SectionEntry], line: int) -> str | None:
    """The section a line belongs to: the last one whose heading is above it (a line being
    typed at a section's end is not yet inside its parsed range)."""
    above = [s for s in sections if s.heading.end.line < line]
    if not above:
        return None
    section = max(above, key=lambda s: s.heading.start.line)
    return section.spec.key if section.spec else None
