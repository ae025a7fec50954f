"""The server's open buffers apply an incremental edit by slicing the text; the result is
what pygls' own line-by-line rewrite gives over LSP's lines (LF, CRLF and CR end a line;
U+2028 and the other characters str.splitlines breaks at do not), for any edit sequence,
ranges past the end and astral characters included."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import TextDocument

from codemyspec_lsp.lsp.documents import LspLinesDocument

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


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(edits(), max_size=6))
def test_incremental_edits_give_what_pygls_gives(
    text: str, changes: list[types.TextDocumentContentChangePartial]
) -> None:
    kind = types.TextDocumentSyncKind.Incremental
    ours = LspLinesDocument("file:///d.md", source=text, sync_kind=kind)
    reference = PyglsRewrite("file:///d.md", source=text, sync_kind=kind)
    for change in changes:
        # pygls' position conversion writes into the range, so each gets its own copy
        ours.apply_change(copy.deepcopy(change))
        reference.apply_change(copy.deepcopy(change))
        assert ours.source == reference.source
