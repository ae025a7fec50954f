"""Hover help on a section heading or a component's type: what it is for, how to write it.

The words come from ``design/sections.py``, the same guidance the generate prompt gives
the agent, so the person and the agent learn one format.
"""

from __future__ import annotations

from dataclasses import dataclass

from codemyspec_lsp.design.diagnostics import Position, Range
from codemyspec_lsp.design.parser import SourceMap
from codemyspec_lsp.design.sections import COMPONENT_TYPES, KNOWN_SECTIONS, SectionSpec


@dataclass(frozen=True)
class HoverText:
    markdown: str
    range: Range


def section_help(spec: SectionSpec) -> str:
    return f"**{spec.title}**: {spec.guidance}"


def type_help(kind: str) -> str:
    return f"**{kind}**: {COMPONENT_TYPES[kind]}"


def _all_types() -> str:
    return "\n".join(f"- {type_help(kind)}" for kind in COMPONENT_TYPES)


def _unknown_section(title: str) -> str:
    known = ", ".join(spec.title for spec in KNOWN_SECTIONS)
    return (
        f"**{title}** is not a known section; it is kept as written. "
        f"The known sections, in their usual order: {known}."
    )


def hover_at(source_map: SourceMap | None, position: Position) -> HoverText | None:
    """The help for what is under ``position``, or None where there is nothing to say."""
    if source_map is None:
        return None
    line = position.line
    for section in source_map.sections:
        heading = section.heading
        if heading.start.line <= line <= heading.end.line:
            text = section_help(section.spec) if section.spec else _unknown_section(section.title)
            return HoverText(text, heading)
    for component in source_map.components:
        row = component.type_row
        if row is None or row.range.start.line != line:
            continue
        kind = row.value.strip().strip("`*").strip().lower()
        if kind in COMPONENT_TYPES:
            return HoverText(type_help(kind), row.range)
        return HoverText(
            f"'{kind}' is not an allowed component type. Use one of:\n\n{_all_types()}", row.range
        )
    return None
