"""The server's open buffers apply an incremental edit by slicing the text; the result is
what pygls' own line-by-line rewrite gives over LSP's lines (LF, CRLF and CR end a line;
U+2028 and the other characters str.splitlines breaks at do not), for any edit sequence,
ranges past the end and astral characters included; and the lines it keeps across edits
are the lines of its text."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from codemyspec_lsp.lsp.documents import _LSP_LINE, LspLinesDocument

texts = st.text(alphabet=st.sampled_from("ab#|\r\n\u2028\x1c😀é "), max_size=60)


class PyglsRewrite(LspLinesDocument):
    """LSP's lines, pygls' own way of applying an edit."""

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        TextDocument._apply_incremental_change(self, change)


@st.composite
def edits(draw: st.DrawFn) -> types.TextDocumentContentChangePartial:
    def position() -> types.Position:
        return types.Position(draw(st.integers(0, 8)), draw(st.integers(0, 10)))

    start, end = sorted([position(), position()], key=lambda p: (p.line, p.character))
    return types.TextDocumentContentChangePartial(range=types.Range(start, end), text=draw(texts))


whole_texts = st.builds(types.TextDocumentContentChangeWholeDocument, text=texts)
encodings = st.sampled_from(list(types.PositionEncodingKind))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(edits() | whole_texts, max_size=6), encodings)
def test_incremental_edits_give_what_pygls_gives(
    text: str, changes: list[types.TextDocumentContentChangeEvent], encoding: str
) -> None:
    """Any mix of incremental and whole-document changes, in any position encoding."""
    kind = types.TextDocumentSyncKind.Incremental
    codec = PositionCodec(encoding=encoding)
    ours = LspLinesDocument("file:///d.md", source=text, sync_kind=kind, position_codec=codec)
    reference = PyglsRewrite("file:///d.md", source=text, sync_kind=kind, position_codec=codec)
    for change in changes:
        # pygls' position conversion writes into the range, so each gets its own copy
        ours.apply_change(copy.deepcopy(change))
        reference.apply_change(copy.deepcopy(change))
        assert ours.source == reference.source
        # the lines kept across edits (re-split only where the edit was) are the text's
        assert ours.lines == tuple(_LSP_LINE.findall(ours.source))


line_ends = st.text(alphabet=st.sampled_from("a\r\n"), max_size=8)
small_positions = st.builds(types.Position, st.integers(0, 3), st.integers(0, 3))


@st.composite
def short_edits(draw: st.DrawFn) -> types.TextDocumentContentChangePartial:
    start, end = sorted(
        [draw(small_positions), draw(small_positions)], key=lambda p: (p.line, p.character)
    )
    return types.TextDocumentContentChangePartial(
        range=types.Range(start, end), text=draw(line_ends.filter(lambda t: len(t) <= 3))
    )


@settings(max_examples=1500, deadline=None)
@given(line_ends, st.lists(short_edits(), min_size=1, max_size=4))
def test_kept_lines_follow_edits_around_line_ends(
    text: str, changes: list[types.TextDocumentContentChangePartial]
) -> None:
    """An edit that leaves a CR before an LF (or a line without its end) joins lines
    across its own ends: the lines kept must still be the text's."""
    kind = types.TextDocumentSyncKind.Incremental
    document = LspLinesDocument("file:///d.md", source=text, sync_kind=kind)
    for change in changes:
        document.apply_change(change)
        assert document.lines == tuple(_LSP_LINE.findall(document.source))
