"""Validating one document again after an edit, re-parsing only the part the edit touched.

A top-level heading (one not inside a list, quote, fence or HTML block) closes every open
block, so the Markdown after it parses the same whether or not the text before it is
there. The document is kept as chunks of tokens, one per top-level heading (plus what
precedes the first). After an edit, the chunks wholly before the changed lines are kept
as they are and those wholly after it are kept with their lines shifted; only the chunks
in between are parsed again, as one window of text. The window starts at a chunk whose
heading lines the edit did not touch and ends where the next kept chunk's heading starts;
if the window's own parse does not put that heading where it was (an unclosed fence or
HTML block now swallows it), the window runs to the end of the document instead.

Building the source map and running the rules over the chunks (cheap next to parsing)
is exactly what ``validate_design`` does, except that a component read from a chunk that
was kept as it was (same lines, not moved) is taken from the last build as it was; so the
result is identical to validating the whole text, diagnostics and ranges alike
(tests/design/test_incremental.py checks it on random edit sequences). A document with
link reference definitions (``[label]: url``, which change how text elsewhere parses) is
always parsed whole.
"""

from __future__ import annotations

import bisect
import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from operator import ne

from markdown_it.token import Token

from codemyspec_lsp.design.parser import ComponentMemo, LineIndex, ParsedDesign, build
from codemyspec_lsp.design.rules import read_input
from codemyspec_lsp.design.tokens import (
    TokenChunk,
    markdown,
    split_lines,
    strip_bom,
    top_level_blocks,
)
from codemyspec_lsp.design.validator import (
    ValidationOptions,
    ValidationReport,
    internal_error,
    validate_parsed,
)

log = logging.getLogger(__name__)

# Text that may hold a link reference definition: parse such a document whole.
_REFERENCE_MARK = "]:"


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Tokens from one top-level heading to the next; lines are absolute."""

    start: int  # its first line
    head_end: int  # the line after its heading (``start`` for the part before any heading)
    tokens: TokenChunk

    def shifted(self, delta: int) -> _Chunk:
        if delta == 0:
            return self
        chunk = self.tokens
        return _Chunk(
            self.start + delta,
            self.head_end + delta,
            TokenChunk(chunk.base + delta, chunk.tokens, chunk.blocks),
        )


def _chunks_of(tokens: Sequence[Token], first_line: int) -> list[_Chunk]:
    """Split the tokens of text starting at ``first_line`` at its top-level headings."""
    blocks = top_level_blocks(tokens)
    cuts = [k for k, block in enumerate(blocks) if block[4] == "heading_open" and k > 0]
    chunks: list[_Chunk] = []
    for begin, end in zip([0, *cuts], [*cuts, len(blocks)], strict=True):
        own = blocks[begin:end]
        if not own:
            continue
        first_token, head = own[0][0], own[0]
        spans = tuple((s - first_token, e - first_token, a, b, kind) for s, e, a, b, kind in own)
        start = first_line + (head[2] if begin else 0)
        head_end = first_line + head[3] if head[4] == "heading_open" else start
        token_slice = tokens[first_token : own[-1][1]]
        chunks.append(_Chunk(start, head_end, TokenChunk(first_line, token_slice, spans)))
    return chunks


class IncrementalValidator:
    """Validates successive versions of one document, reusing what an edit left alone.

    Not thread-safe: one validation of a document at a time (the server runs them so).
    """

    def __init__(self) -> None:
        self._lines: tuple[str, ...] = ()
        self._shift = 0
        self._chunks: list[_Chunk] = []
        self._parsed: ParsedDesign | None = None
        self._components: ComponentMemo = {}
        self.reparsed_lines = 0  # how many lines the last validation parsed (for tests)

    def validate(self, text: str, options: ValidationOptions) -> ValidationReport:
        """What ``validate_design(text, options)`` returns, computed incrementally."""
        try:
            decoded, problem = read_input(text, options.max_file_bytes)
            if decoded is None:
                self._forget()
                return ValidationReport(None, [problem] if problem else [], None)
            return validate_parsed(self._parse(decoded), options)
        except Exception:  # the contract of validate_design: never raise
            log.exception("incremental validation failed")
            self._forget()
            return internal_error()

    def _forget(self) -> None:
        self._lines, self._chunks, self._parsed, self._components = (), [], None, {}

    def _parse(self, text: str) -> ParsedDesign:
        body, shift = strip_bom(text)
        lines = split_lines(body)
        if self._parsed is not None and lines == self._lines and shift == self._shift:
            self.reparsed_lines = 0
            return self._parsed
        if (
            self._parsed is None
            or not self._chunks
            or shift != self._shift
            or _REFERENCE_MARK in body
        ):
            chunks = self._window(lines, 0, len(lines))
        else:
            chunks = self._reparse(lines)
        self._lines, self._shift, self._chunks = lines, shift, chunks
        self._parsed, self._components = build(
            LineIndex(lines, shift), [c.tokens for c in chunks], self._components
        )
        return self._parsed

    def _reparse(self, lines: tuple[str, ...]) -> list[_Chunk]:
        old, chunks = self._lines, self._chunks
        limit = min(len(old), len(lines))
        # The first unequal line, and the count of equal lines at the end (not overlapping
        # the equal start); map and compress keep the comparisons out of Python loops.
        same_start = next(itertools.compress(itertools.count(), map(ne, old, lines)), limit)
        ends = map(ne, reversed(old[same_start:]), reversed(lines[same_start:]))
        same_end = next(itertools.compress(itertools.count(), ends), limit - same_start)
        old_end = len(old) - same_end  # the changed old lines are [same_start, old_end)
        delta = len(lines) - len(old)

        # The window starts at the last chunk whose heading lies before the first change.
        starts = [chunk.start for chunk in chunks]
        first = max(0, bisect.bisect_right(starts, same_start) - 1)
        while first > 0 and chunks[first].head_end > same_start:
            first -= 1
        window_start = chunks[first].start if first else 0
        # It ends at the first later chunk that lies wholly after the changed lines.
        after = max(first + 1, bisect.bisect_left(starts, old_end))
        kept_before = chunks[:first]
        if after < len(chunks):
            window = self._window_until(lines, window_start, chunks[after].shifted(delta))
            if window is not None:
                return kept_before + window + [c.shifted(delta) for c in chunks[after:]]
        return kept_before + self._window(lines, window_start, len(lines))

    def _window(self, lines: tuple[str, ...], start: int, end: int) -> list[_Chunk]:
        """Parse lines[start:end] (``start`` is the first line of a chunk) into chunks."""
        self.reparsed_lines = end - start
        return _chunks_of(markdown().parse("\n".join(lines[start:end])), start)

    def _window_until(
        self, lines: tuple[str, ...], start: int, resume: _Chunk
    ) -> list[_Chunk] | None:
        """The chunks of lines[start:resume.start], if parsing through ``resume``'s heading
        puts that heading where it was; None if something before now swallows it."""
        chunks = self._window(lines, start, resume.head_end)
        heading = next((c for c in chunks if c.start == resume.start), None)
        if heading is None or heading.head_end != resume.head_end:
            return None
        return [chunk for chunk in chunks if chunk.start < resume.start]
