"""markdown-it-py tokens -> ParsedDesign: the ContextDesign plus a source map.

Structure comes only from the token stream (CommonMark + GFM tables): a heading inside a
code fence or an HTML block is no heading, setext headings are headings, and only
top-level headings (not those inside lists or quotes) delimit sections. Lines are split
exactly as markdown-it splits them (``\\r\\n``, ``\\r``, ``\\n``), so token line maps index
``ParsedDesign.lines``; characters in ranges are UTF-16 code units as LSP counts them.

The parser never judges: it records what is there (a component's table or its absence, a
section's content or emptiness) and ``rules.py`` turns that into diagnostics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from codemyspec_lsp.design.model import Component, ContextDesign, Dependency
from codemyspec_lsp.design.sections import (
    KNOWN_SECTIONS,
    normalize_title,
    section_for,
)
from codemyspec_lsp.design.sourcemap import (
    ComponentEntry,
    DependencyEntry,
    LineIndex,
    ParsedDesign,
    SectionEntry,
    SourceMap,
    TableRow,
)
from codemyspec_lsp.design.tokens import (
    BlockSpan,
    TokenChunk,
    is_comment_only,
    markdown,
    plain_text,
    split_lines,
    strip_bom,
    top_level_blocks,
)

__all__ = [  # the source map and the tokens have modules of their own; importable from here
    "BlockSpan",
    "ComponentEntry",
    "DependencyEntry",
    "LineIndex",
    "ParsedDesign",
    "SectionEntry",
    "SourceMap",
    "TableRow",
    "TokenChunk",
    "build",
    "markdown",
    "parse_design",
    "split_lines",
    "strip_bom",
    "top_level_blocks",
]

_LIST_OPENERS = frozenset({"bullet_list_open", "ordered_list_open"})
_MARKUP_CHARS = "`*"


# -- parsing ---------------------------------------------------------------------------------


def parse_design(text: str) -> ParsedDesign:
    """Parse ``text`` (already decoded). Never raises on well-formed ``str``."""
    text, shift = strip_bom(text)
    index = LineIndex(split_lines(text), shift)
    tokens = markdown().parse(text)
    return build(index, [TokenChunk(0, tokens, top_level_blocks(tokens))])[0]


# A component read from one chunk alone, by the chunk's identity: (chunk, entry, model).
ComponentMemo = dict[int, tuple["TokenChunk", "ComponentEntry", Component]]


def build(
    index: LineIndex, chunks: Sequence[TokenChunk], memo: ComponentMemo | None = None
) -> tuple[ParsedDesign, ComponentMemo]:
    """The design and source map of a document given as consecutive chunks of tokens.

    ``memo`` holds the components of an earlier build: a component whose chunk is the
    very same object (its lines unchanged and unmoved) is taken from it as it was. The
    memo of this build is returned beside the design.
    """
    builder = _Builder(index, chunks, memo or {})
    return builder.build(), builder.memo


@dataclass(slots=True)
class _Block:
    """One top-level block: tokens[start:end], lines first_line..end_line (absolute)."""

    start: int
    end: int
    first_line: int
    end_line: int  # exclusive
    kind: str
    tokens: Sequence[Token]
    base: int  # the absolute line of map line 0 in ``tokens``
    chunk: TokenChunk


def _strip_markup(text: str) -> str:
    return text.strip().strip(_MARKUP_CHARS).strip()


@dataclass(slots=True)
class _OpenSection:
    title: str
    heading_line: int
    heading_last_line: int
    body_line: int  # first line after the heading
    blocks: list[_Block] = dataclasses.field(default_factory=list)
    components: int = 0


@dataclass(slots=True)
class _OpenComponent:
    name: str
    heading_line: int
    heading_last_line: int
    chunk: TokenChunk  # of its heading
    blocks: list[_Block] = dataclasses.field(default_factory=list)


class _Builder:
    """Walks the top-level blocks once, closing sections and components at headings."""

    def __init__(
        self, index: LineIndex, chunks: Sequence[TokenChunk], reuse: ComponentMemo
    ) -> None:
        self.index = index
        self.chunks = chunks
        self.reuse = reuse
        self.memo: ComponentMemo = {}
        self.component_models: list[Component] = []
        self.title: str | None = None
        self.title_lines: tuple[int, int] | None = None
        self.sections: list[SectionEntry] = []
        self.components: list[ComponentEntry] = []
        self.dependencies: list[DependencyEntry] = []
        self.section: _OpenSection | None = None
        self.in_components = False
        self.component: _OpenComponent | None = None

    # -- walk ---------------------------------------------------------------------------

    def build(self) -> ParsedDesign:
        for block in self._blocks():
            if block.kind == "heading_open":
                self._heading(block)
            else:
                self._content(block)
        self._close_section(len(self.index.lines))
        says_none = _says_none(self.dependencies)
        if says_none:
            self.dependencies.clear()
        source_map = SourceMap(
            title_text=self.title,
            title_lines=self.title_lines,
            sections=tuple(self.sections),
            components=tuple(self.components),
            dependencies=tuple(self.dependencies),
            index=self.index,
        )
        return ParsedDesign(self._design(), source_map)

    def _blocks(self) -> list[_Block]:
        return [
            _Block(start, end, base + first, base + last, kind, chunk.tokens, base, chunk)
            for chunk in self.chunks
            for base in (chunk.base,)
            for start, end, first, last, kind in chunk.blocks
        ]

    def _heading(self, block: _Block) -> None:
        opener = block.tokens[block.start]
        level = int(opener.tag[1])
        text = plain_text(block.tokens[block.start + 1])
        setext = opener.markup in ("=", "-")
        first, last = block.first_line, block.end_line - (2 if setext else 1)
        if level <= 2:
            self._close_section(first)
            if level == 1:
                if self.title is None:
                    self.title, self.title_lines = text, (first, last)
                return
            self.section = _OpenSection(text, first, last, block.end_line)
            self.in_components = normalize_title(text) == "components"
            return
        section = self.section
        if section is None:
            return
        section.blocks.append(block)
        if level == 3 and self.in_components:
            self._close_component()
            section.components += 1
            self.component = _OpenComponent(text, first, last, block.chunk)
        elif self.component is not None:
            self.component.blocks.append(block)

    def _content(self, block: _Block) -> None:
        if block.kind == "html_block" and is_comment_only(block.tokens[block.start]):
            return
        if self.section is not None:
            self.section.blocks.append(block)
        if self.component is not None:
            self.component.blocks.append(block)

    # -- sections -----------------------------------------------------------------------

    def _close_section(self, next_line: int) -> None:
        self._close_component()
        section = self.section
        if section is None:
            return
        self.section = None
        blocks = section.blocks
        spec = section_for(section.title)
        if spec is not None and spec.key == "dependencies":
            self._dependencies(blocks)
        self.sections.append(
            SectionEntry(
                title=section.title,
                spec=spec,
                heading_line=section.heading_line,
                heading_last_line=section.heading_last_line,
                last_line=blocks[-1].end_line - 1 if blocks else section.heading_last_line,
                has_content=bool(blocks),
                has_list=any(b.kind in _LIST_OPENERS for b in blocks),
                component_count=section.components,
                content=self.index.raw(section.body_line, next_line),
                index=self.index,
            )
        )

    def _dependencies(self, blocks: list[_Block]) -> None:
        for block in blocks:
            if block.kind not in _LIST_OPENERS:
                continue
            tokens = block.tokens
            for i in range(block.start, block.end):
                token = tokens[i]
                if token.type != "list_item_open" or token.level != 1:
                    continue
                text = ""
                j = i + 1
                while j < block.end and not (
                    tokens[j].type == "list_item_close" and tokens[j].level == 1
                ):
                    if tokens[j].type == "inline" and tokens[j].level == 3:
                        text = " ".join(tokens[j].content.split())
                        break
                    j += 1
                module, sep, reason = text.partition(":")
                self.dependencies.append(
                    DependencyEntry(
                        text=text,
                        module=_strip_markup(module),
                        reason=(reason.strip() or None) if sep else None,
                        line=block.base + (token.map or (0, 0))[0],
                        index=self.index,
                    )
                )

    # -- components ---------------------------------------------------------------------

    def _close_component(self) -> None:
        component = self.component
        if component is None:
            return
        self.component = None
        chunk = component.chunk
        alone = all(b.chunk is chunk for b in component.blocks)
        if alone:
            kept = self.reuse.get(id(chunk))
            if kept is not None and kept[0] is chunk:
                self._add_component(kept[1], kept[2])
                self.memo[id(chunk)] = kept
                return
        entry = self._component_entry(component)
        # model_construct: every value already has the model's type, and this runs per
        # keystroke in the editor; validation would only repeat the work.
        model = Component.model_construct(
            module_name=entry.module_name,
            type=_strip_markup(entry.type_row.value).lower() if entry.type_row else "",
            description=entry.description,
            table=_first_values(entry.rows),
        )
        self._add_component(entry, model)
        if alone:
            self.memo[id(chunk)] = (chunk, entry, model)

    def _add_component(self, entry: ComponentEntry, model: Component) -> None:
        self.components.append(entry)
        self.component_models.append(model)

    def _component_entry(self, component: _OpenComponent) -> ComponentEntry:
        last_line = max(
            component.heading_last_line,
            component.blocks[-1].end_line - 1 if component.blocks else 0,
        )
        index = self.index.part(component.heading_line, last_line + 1)
        blocks = [b for b in component.blocks if b.kind != "heading_open"]
        table_at = next((k for k, b in enumerate(blocks) if b.kind == "table_open"), None)
        rows: tuple[TableRow, ...] = ()
        described = blocks
        if table_at is not None:
            rows = self._table_rows(blocks[table_at], index)
            after = [b for b in blocks[table_at + 1 :] if b.kind != "table_open"]
            before = [b for b in blocks[:table_at] if b.kind != "table_open"]
            described = after or before
        return ComponentEntry(
            module_name=component.name,
            heading_line=component.heading_line,
            heading_last_line=component.heading_last_line,
            last_line=last_line,
            has_table=table_at is not None,
            type_row=next((r for r in rows if r.field == "type"), None),
            rows=rows,
            description=(
                index.raw(described[0].first_line, described[-1].end_line) if described else ""
            ),
            description_line=described[0].first_line if described else None,
            index=index,
        )

    def _table_rows(self, block: _Block, index: LineIndex) -> tuple[TableRow, ...]:
        """The table's rows as field/value pairs; the header too unless it says field/value."""
        tokens = block.tokens
        rows: list[TableRow] = []
        cells: list[str] = []
        row_line = 0
        for token in tokens[block.start : block.end]:
            kind = token.type
            if kind == "inline":
                cells.append(token.content.strip())
            elif kind == "tr_open":
                cells, row_line = [], block.base + (token.map or (0, 0))[0]
            elif kind == "tr_close":
                name = _strip_markup(cells[0]).lower() if cells else ""
                value = cells[1] if len(cells) > 1 else ""
                if (
                    row_line == block.first_line
                    and name == "field"
                    and _strip_markup(value).lower() == "value"
                ):
                    continue  # the header names the columns
                rows.append(TableRow(name, value, row_line, index))
        return tuple(rows)

    # -- results ------------------------------------------------------------------------

    def _design(self) -> ContextDesign:
        texts: dict[str, str] = {}
        others: dict[str, str] = {}
        for section in self.sections:
            spec = section.spec
            if spec is None:
                others.setdefault(section.title, section.content)
            elif spec.field is not None:
                texts.setdefault(spec.field, section.content)
        components = list(self.component_models)
        dependencies = [
            Dependency.model_construct(module=d.module, reason=d.reason) for d in self.dependencies
        ]
        values: dict[str, Any] = {name: texts.get(name) for name in _TEXT_FIELDS}
        return ContextDesign.model_construct(
            title=self.title,
            components=components,
            dependencies=dependencies,
            other_sections=others,
            **values,
        )


_TEXT_FIELDS: tuple[str, ...] = tuple(s.field for s in KNOWN_SECTIONS if s.field is not None)


def _says_none(dependencies: Sequence[DependencyEntry]) -> bool:
    """A single `- None` item: the context depends on nothing."""
    return len(dependencies) == 1 and dependencies[0].text.strip(" .`*").lower() == "none"


def _first_values(rows: Sequence[TableRow]) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in rows:
        table.setdefault(row.field, row.value)
    return table
