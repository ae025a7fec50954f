"""The document's outline: the title, its sections, the components and dependencies in them.

Every symbol's range holds its children's, as LSP's DocumentSymbol asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from codemyspec_lsp.design.diagnostics import Range
from codemyspec_lsp.design.parser import SectionEntry, SourceMap
from codemyspec_lsp.design.sections import COMPONENT_TYPES

SymbolKind = Literal["context", "section", "component", "dependency"]


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: SymbolKind
    detail: str
    range: Range  # the whole element
    selection: Range  # its heading or line
    children: tuple[Symbol, ...] = ()


def _within(inner: Range, outer: Range) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _section(source_map: SourceMap, section: SectionEntry) -> Symbol:
    key = section.spec.key if section.spec else None
    children: list[Symbol] = []
    if key == "components":
        for component in source_map.components:
            if _within(component.range, section.range):
                kind = component.type_row.value.strip("`* ").lower() if component.type_row else ""
                children.append(
                    Symbol(
                        component.module_name,
                        "component",
                        kind if kind in COMPONENT_TYPES else "",
                        component.range,
                        component.heading,
                    )
                )
    elif key == "dependencies":
        children = [
            Symbol(d.module, "dependency", d.reason or "", d.range, d.range)
            for d in source_map.dependencies
            if _within(d.range, section.range)
        ]
    detail = "" if section.spec else "not a known section"
    return Symbol(section.title, "section", detail, section.range, section.heading, tuple(children))


def outline(source_map: SourceMap | None) -> list[Symbol]:
    """The sections after the title nest under it; any before it stand beside it."""
    if source_map is None:
        return []
    sections = [_section(source_map, s) for s in source_map.sections]
    title = source_map.title
    if title is None:
        return sections
    before = [s for s in sections if s.range.start < title.start]
    after = [s for s in sections if s.range.start >= title.start]
    end = max([title.end] + [s.range.end for s in after])
    root = Symbol(
        source_map.title_text or "", "context", "", Range(title.start, end), title, tuple(after)
    )
    return [*before, root]
