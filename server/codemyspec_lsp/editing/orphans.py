"""Where a deleted section heading's content was left: the place a missing-section fix
restores the heading instead of appending a new, empty section.

Deleting a ``## Heading`` line leaves the section's content under whatever comes before it:
under the title when it was the first section, under the previous section otherwise. The
missing-section fix (CMS101) and fix-all then put the heading back above that content. The
rule only ever *inserts a heading line*: no text is removed, moved or rewritten, so at worst
a heading lands above a block the author meant otherwise, and undo takes it away.

**First section** (:func:`orphan_under_title`): text between the H1 title and the first H2
belongs to no section. It is claimed by the earliest missing section (in the usual order),
when no known section the usual order puts before it is present.

**A section in the middle** (:func:`orphan_under_previous`): the missing section M is
restored above the *trailing blocks* of the previous section P when all of these hold:

1. M is a known section; P is the present known section nearest before M in the usual
   order (design-format.md's order), N the present one nearest after it (if any).
2. In the document P is directly followed by N: the next H2 after P is N's heading, or P
   is the last H2 when no known section after M is present. M's place is the end of P.
3. M is the only required section reported missing (CMS101) between P and N: with two
   missing at one place, which block is whose cannot be told.
4. Each known section is written as one kind of block (:data:`SHAPES`: prose paragraphs,
   a bullet list, a numbered list, a code fence; Components: H3s with tables, paragraphs
   and H4-H6 headings of their own). The orphan is the longest run of P's last top-level
   blocks (HTML comments are skipped) that are of M's kind and not of P's kind; for
   Components it starts at an H3. When P and M are written alike (two bullet lists, say,
   which Markdown may even merge into one), the run is empty and nothing is restored.
5. The run leaves P at least one block of its own: P never becomes empty.

When any of these fails the fix appends a new section with only its guidance as a comment
(it stays CMS102 until written), as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from codemyspec_lsp.design.diagnostics import Diagnostic
from codemyspec_lsp.design.parser import SectionEntry, SourceMap, markdown, top_level_blocks
from codemyspec_lsp.design.sections import KNOWN_SECTIONS, SectionSpec, section_for

if TYPE_CHECKING:
    from markdown_it.token import Token

SETEXT_UNDERLINE: Final = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")

ORDER: Final[dict[str, int]] = {spec.key: index for index, spec in enumerate(KNOWN_SECTIONS)}

# The kinds of top-level block each known section is written with (design-format.md and the
# sections' guidance): what tells a section's content from its neighbour's.
_PROSE = frozenset({"paragraph"})
_BULLETS = frozenset({"bullet_list"})
SHAPES: Final[dict[str, frozenset[str]]] = {
    "purpose": _PROSE,
    "entity ownership": _BULLETS,
    "access patterns": _BULLETS,
    "public api": frozenset({"code"}),
    "state management strategy": _PROSE,
    "execution flow": frozenset({"ordered_list"}),
    "dependencies": _BULLETS,
    "components": frozenset({"heading", "subheading", "table", "paragraph"}),
    "test strategies": _PROSE,
    "test assertions": _BULLETS,
}
# Where a section's content must begin when it is restored (Components: at a component,
# an H3: "heading" is an H3 only, "subheading" an H4 to H6, "title" an H1 or H2).
_STARTS_WITH: Final[dict[str, str]] = {"components": "heading"}
_HEADINGS: Final[dict[str, str]] = {
    "h3": "heading",
    "h4": "subheading",
    "h5": "subheading",
    "h6": "subheading",
}
_KINDS: Final[dict[str, str]] = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "bullet_list",
    "ordered_list_open": "ordered_list",
    "fence": "code",
    "code_block": "code",
    "table_open": "table",
    "heading_open": "heading",
}


def _kind(token: Token) -> str:
    if token.type == "heading_open":
        return _HEADINGS.get(token.tag, "title")
    return _KINDS.get(token.type, token.type)


def _missing_orders(diagnostics: Sequence[Diagnostic]) -> list[int]:
    """The usual-order places of the known sections reported missing (CMS101)."""
    found = (section_for(str(d.data.get("section", ""))) for d in diagnostics if d.code == "CMS101")
    return [ORDER[spec.key] for spec in found if spec is not None]


def _is_comment(text: str) -> bool:
    return text.startswith("<!--")


def _body_start(lines: Sequence[str], heading_last_line: int) -> int:
    """The first line after a heading: a setext heading's underline is the heading's."""
    first = heading_last_line + 1
    return first + 1 if first < len(lines) and SETEXT_UNDERLINE.match(lines[first]) else first


def orphan_under_title(
    lines: Sequence[str],
    source_map: SourceMap,
    diagnostics: Sequence[Diagnostic],
    spec: SectionSpec,
) -> int | None:
    """The first line of text between the title and the first section, when ``spec`` is the
    first missing section and nothing the usual order puts before it is present."""
    order = ORDER.get(spec.key)
    title = source_map.title_lines
    if order is None or title is None:
        return None
    if any(ORDER.get(s.key, -1) < order for s in source_map.sections if s.spec is not None):
        return None
    if any(other < order for other in _missing_orders(diagnostics)):
        return None
    starts = [s.range.start.line for s in source_map.sections]
    end = min((line for line in starts if line > title[1]), default=len(lines))
    for line in range(_body_start(lines, title[1]), end):
        text = lines[line].strip() if line < len(lines) else ""
        if text and not _is_comment(text):
            return line
    return None


def orphan_under_previous(
    lines: Sequence[str],
    source_map: SourceMap,
    diagnostics: Sequence[Diagnostic],
    spec: SectionSpec,
) -> int | None:
    """The first line of the blocks at the end of the previous section that belong to the
    missing ``spec`` (the rule in this module's docstring), or None."""
    order = ORDER.get(spec.key)
    if order is None:
        return None
    sections = list(source_map.sections)
    known = [s for s in sections if s.spec is not None]
    before = [s for s in known if ORDER[s.key] < order]
    if not before:
        return None
    previous = max(before, key=lambda s: ORDER[s.key])
    after = [s for s in known if ORDER[s.key] > order]
    following = min(after, key=lambda s: ORDER[s.key]) if after else None
    position = sections.index(previous)
    next_h2 = sections[position + 1] if position + 1 < len(sections) else None
    if next_h2 is not following:
        return None
    upper = ORDER[following.key] if following is not None else len(ORDER)
    if any(
        ORDER[previous.key] < other < upper and other != order
        for other in _missing_orders(diagnostics)
    ):
        return None
    return _trailing_run(lines, previous, spec)


def _trailing_run(lines: Sequence[str], previous: SectionEntry, spec: SectionSpec) -> int | None:
    """Rules 4 and 5: the first line of ``previous``'s last blocks written as ``spec`` is."""
    mine, theirs = SHAPES.get(spec.key), SHAPES.get(previous.key)
    if mine is None or theirs is None or previous.last_line <= previous.heading_last_line:
        return None
    first = _body_start(lines, previous.heading_last_line)
    body = "\n".join(lines[first : previous.last_line + 1])
    tokens = markdown().parse(body)
    blocks = [
        (first + line, _kind(tokens[start]))
        for start, _end, line, _stop, _type in top_level_blocks(tokens)
        if not (tokens[start].type == "html_block" and _is_comment(tokens[start].content.strip()))
    ]
    run = len(blocks)
    while run > 0 and blocks[run - 1][1] in mine - theirs:
        run -= 1
    start_kind = _STARTS_WITH.get(spec.key)
    while start_kind is not None and run < len(blocks) and blocks[run][1] != start_kind:
        run += 1
    if run == 0 or run >= len(blocks):
        return None  # nothing of M's kind at the end, or nothing of P's own left
    return blocks[run][0]
