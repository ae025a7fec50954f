"""The line index (UTF-16 ranges over a document's lines) and the source map of a design.

``LineIndex`` splits nothing itself: it is given the lines as markdown-it splits them.
``SourceMap`` records where the parser found each section, component and dependency.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from codemyspec_lsp.design.diagnostics import Position, Range
from codemyspec_lsp.design.model import ContextDesign
from codemyspec_lsp.design.sections import (
    SectionSpec,
)

# -- line index: UTF-16 ranges over the document's lines ---------------------------------------


def _utf16_len(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


class LineIndex:
    """The document's lines (split as markdown-it splits them) and ranges over them.

    ``part`` gives the index of some of the lines only (line numbers stay those of the
    document): a component's entry keeps just its own lines, so reusing it after an edit
    elsewhere keeps no older version of the whole document alive.
    """

    __slots__ = ("first", "lines", "shift")

    def __init__(self, lines: tuple[str, ...], shift: int = 0, first: int = 0) -> None:
        self.lines = lines
        self.shift = shift  # UTF-16 units before line 0's text (a stripped BOM)
        self.first = first  # the document line of lines[0]

    def part(self, start: int, end: int) -> LineIndex:
        """Lines ``start`` to ``end`` (exclusive) of this index."""
        return LineIndex(self.lines[start - self.first : end - self.first], self.shift, start)

    def _text(self, line: int) -> str:
        return self.lines[line - self.first]

    def _position(self, line: int, index: int) -> Position:
        text = self._text(line)
        col = index if text.isascii() else _utf16_len(text[:index])
        return Position(line, col + self.shift if line == 0 else col)

    def _start(self, line: int) -> Position:
        text = self._text(line)
        return self._position(line, len(text) - len(text.lstrip()))

    def _end(self, line: int) -> Position:
        return self._position(line, len(self._text(line).rstrip()))

    def trimmed(self, line: int) -> Range:
        """One line without its leading and trailing white space."""
        return self.span(line, line)

    def span(self, first: int, last: int) -> Range:
        """From the first text of ``first`` to the end of the text of ``last``."""
        final = self.first + len(self.lines) - 1
        first = min(first, final)
        last = min(max(first, last), final)
        start = self._start(first)
        return Range(start, max(start, self._end(last)))

    def raw(self, start: int, end: int) -> str:
        """Lines ``start`` to ``end`` (exclusive) as written, stripped."""
        return "\n".join(self.lines[start - self.first : end - self.first]).strip()


# -- source map: where each element is, for diagnostics, outline, hover and fixes -----------
#
# Entries keep line numbers; their Ranges (UTF-16 columns) are computed on first use, since
# most are never asked for: validation needs only the ones it reports.


class _Headed:
    """A heading and the lines after it; the dataclasses below declare these fields."""

    heading_line: int
    heading_last_line: int  # differs from heading_line for a multi-line setext heading
    last_line: int  # the last line of what follows the heading
    index: LineIndex

    @functools.cached_property
    def heading(self) -> Range:
        """The heading's text."""
        return self.index.span(self.heading_line, self.heading_last_line)

    @functools.cached_property
    def range(self) -> Range:
        """The heading through the last line of what follows it."""
        return self.index.span(self.heading_line, self.last_line)


@dataclass(frozen=True)
class SectionEntry(_Headed):
    """One H2 section as written."""

    title: str  # the heading's plain text, white space collapsed
    spec: SectionSpec | None  # the known section it names, if any
    heading_line: int
    heading_last_line: int  # differs from heading_line for a multi-line setext heading
    last_line: int  # the last line of its content (heading_last_line when empty)
    has_content: bool  # anything besides blank lines and HTML comments
    has_list: bool  # a top-level bullet or ordered list in the content
    component_count: int  # H3 components (only counted under Components)
    content: str  # the raw Markdown of the content, stripped
    index: LineIndex = dataclasses.field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """Lower-case title: how sections are compared and required."""
        return self.title.lower()


@dataclass(frozen=True)
class TableRow:
    field: str  # lower-cased, markup stripped
    value: str  # as written, trimmed
    line: int
    index: LineIndex = dataclasses.field(repr=False, compare=False)

    @functools.cached_property
    def range(self) -> Range:
        """The whole row."""
        return self.index.trimmed(self.line)


@dataclass(frozen=True)
class ComponentEntry(_Headed):
    """One H3 under Components."""

    module_name: str
    heading_line: int
    heading_last_line: int
    last_line: int  # the end of its description (or of whatever follows the heading)
    has_table: bool  # a table follows the heading
    type_row: TableRow | None  # the first row whose field is `type`
    rows: tuple[TableRow, ...]
    description: str
    description_line: int | None  # the first line of the description
    index: LineIndex = dataclasses.field(repr=False, compare=False)

    @functools.cached_property
    def description_range(self) -> Range | None:
        line = self.description_line
        return None if line is None else self.index.trimmed(line)


@dataclass(frozen=True)
class DependencyEntry:
    """One item of a list under Dependencies."""

    text: str  # the item's text as written, trimmed
    module: str
    reason: str | None
    line: int  # the item's first line
    index: LineIndex = dataclasses.field(repr=False, compare=False)

    @functools.cached_property
    def range(self) -> Range:
        return self.index.trimmed(self.line)


@dataclass(frozen=True)
class SourceMap:
    title_text: str | None  # the first H1's text
    title_lines: tuple[int, int] | None  # its first and last line
    sections: tuple[SectionEntry, ...]
    components: tuple[ComponentEntry, ...]
    dependencies: tuple[DependencyEntry, ...]
    index: LineIndex = dataclasses.field(repr=False, compare=False)

    @property
    def line_count(self) -> int:
        return len(self.index.lines)

    @functools.cached_property
    def title(self) -> Range | None:
        """The first H1's text."""
        return None if self.title_lines is None else self.index.span(*self.title_lines)

    def first_line_range(self) -> Range:
        """The trimmed first line: where file-level diagnostics go."""
        return self.index.trimmed(0)

    def section(self, key: str) -> SectionEntry | None:
        """The first section with this title (any case, white space trimmed)."""
        wanted = " ".join(key.split()).lower()
        return next((s for s in self.sections if s.key == wanted), None)

    def section_at(self, line: int) -> SectionEntry | None:
        """The section whose heading or content holds ``line``."""
        return next((s for s in self.sections if s.heading_line <= line <= s.last_line), None)

    def component_at(self, line: int) -> ComponentEntry | None:
        return next((c for c in self.components if c.heading_line <= line <= c.last_line), None)


@dataclass(frozen=True)
class ParsedDesign:
    design: ContextDesign
    source_map: SourceMap

    @property
    def lines(self) -> tuple[str, ...]:
        """The text split as markdown-it splits it: token maps index these."""
        return self.source_map.index.lines

    def first_line_range(self) -> Range:
        return self.source_map.first_line_range()
