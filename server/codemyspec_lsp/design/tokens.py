"""The token layer under the parser: markdown-it-py's tokens, the lines as it numbers
them, and a document's top-level blocks, whole or in chunks (the incremental validator
keeps one chunk per top-level heading)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

# The same split markdown-it applies before tokenising (its NEWLINES_RE).
_NEWLINES = re.compile(r"\r\n?|\n")


def markdown() -> MarkdownIt:
    """The process-wide parser: CommonMark with GFM tables (the benchmark uses it too)."""
    return _MD


_MD = MarkdownIt("commonmark").enable("table")


def strip_bom(text: str) -> tuple[str, int]:
    """The text without a leading BOM, and how many UTF-16 units were stripped."""
    if text.startswith("\ufeff"):
        # The editor counts the BOM as a character; markdown-it would see it as text.
        return text[1:], 1
    return text, 0


def split_lines(text: str) -> tuple[str, ...]:
    """The lines as markdown-it numbers them."""
    return tuple(_NEWLINES.split(text))


# (start, end, first line, end line (exclusive), opener type) of one top-level block:
# tokens[start:end], lines relative to the chunk's base.
BlockSpan = tuple[int, int, int, int, str]


def top_level_blocks(tokens: Sequence[Token]) -> tuple[BlockSpan, ...]:
    blocks: list[BlockSpan] = []
    i, n = 0, len(tokens)
    while i < n:
        opener = tokens[i]
        j = i + 1
        if opener.nesting == 1:
            depth = 1
            while j < n and depth:
                depth += tokens[j].nesting
                j += 1
        line_map = opener.map or (0, 0)
        blocks.append((i, j, line_map[0], line_map[1], opener.type))
        i = j
    return tuple(blocks)


@dataclass(frozen=True, slots=True)
class TokenChunk:
    """Whole top-level blocks of a document: a token's line is ``base + token.map[0]``.

    The whole document parsed at once is one chunk; the incremental parser keeps one per
    top-level heading and reuses those an edit did not touch.
    """

    base: int
    tokens: Sequence[Token]
    blocks: tuple[BlockSpan, ...]


def plain_text(inline: Token) -> str:
    """An inline token's text without markup, whitespace collapsed."""
    parts: list[str] = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def is_comment_only(token: Token) -> bool:
    """An HTML block that is one comment and nothing else."""
    content = token.content.strip()
    return content.startswith("<!--") and content.endswith("-->") and content.count("<!--") == 1
