"""Text edits over a document addressed by LSP positions (0-based lines, UTF-16 columns).

Lines end at ``\\r\\n``, ``\\r`` or ``\\n``, as LSP and the design parser count them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from codemyspec_lsp.design.diagnostics import Position, Range

_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class TextEdit:
    range: Range
    new_text: str

    @classmethod
    def insert(cls, at: Position, text: str) -> TextEdit:
        return cls(Range(at, at), text)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of LSP's ``character``."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def split_lines(text: str) -> list[str]:
    """The lines without their breaks; a final break opens an empty last line."""
    return _LINE_BREAK.split(text)


def line_break(text: str) -> str:
    """The document's own line break (the first one found), for text inserted into it."""
    found = _LINE_BREAK.search(text)
    return found.group() if found else "\n"


def end_of(text: str) -> Position:
    lines = split_lines(text)
    return Position(len(lines) - 1, utf16_len(lines[-1]))


def column(line: str, index: int) -> int:
    """The UTF-16 column of the string index ``index`` in ``line``."""
    return utf16_len(line[:index])


def index_in_line(line: str, character: int) -> int:
    """The string index of UTF-16 column ``character``; past the end clamps to the end."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def offset_of(text: str, position: Position) -> int:
    """The string index of an LSP position; a position past the end clamps to the end."""
    line_start = 0
    for _ in range(position.line):
        found = _LINE_BREAK.search(text, line_start)
        if found is None:
            return len(text)
        line_start = found.end()
    found = _LINE_BREAK.search(text, line_start)
    line = text[line_start : found.start() if found else len(text)]
    return line_start + index_in_line(line, position.character)


def overlaps(a: Range, b: Range) -> bool:
    """Whether two edits touch the same text. Two inserts at one point do not overlap (LSP
    applies them in array order); an insert at the edge of a replaced span does not either."""
    return a.start < b.end and b.start < a.end


def non_overlapping(edits: Iterable[TextEdit]) -> list[TextEdit]:
    """The edits in the order given, without repeats and without any that overlaps one kept
    before it."""
    kept: list[TextEdit] = []
    for edit in edits:
        if edit not in kept and not any(overlaps(edit.range, other.range) for other in kept):
            kept.append(edit)
    return kept


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """The text after applying non-overlapping ``edits`` as an LSP client does: every range
    refers to the original text, and inserts at one point keep their order in ``edits``."""
    spans = sorted(
        (
            (offset_of(text, edit.range.start), offset_of(text, edit.range.end), order, edit)
            for order, edit in enumerate(edits)
        ),
        key=lambda span: (span[0], span[2]),
    )
    out: list[str] = []
    cursor = 0
    for start, end, _, edit in spans:
        if start < cursor:
            raise ValueError(f"overlapping edits at {edit.range}")
        out.append(text[cursor:start])
        out.append(edit.new_text)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)
