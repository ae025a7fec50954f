"""Fuzzing over LSP: generated design documents and edit sequences sent to one server.

Hypothesis builds documents from headings (the known sections and others), fences (also
unclosed), tables (also ragged), lists, random Unicode text (astral characters, combining
marks, NUL, U+2028 and other characters Python but not LSP counts as line breaks) with
LF, CRLF and CR line ends; each document is opened (didOpen) and then edited with
incremental and whole-document changes (didChange). Each example sends a batch of
documents at once. After a batch the diagnostics are pulled (which also waits until the
server has validated the last version), and every diagnostic the server published
(pulled, or pushed with its version) must lie inside the text of that version: line below
the line count, character at most the UTF-16 length of that line. The server must stay
alive and its log and stderr must hold no traceback.

Two clients: Neovim (pulls) and VS Code (push only); 10,000 documents in all.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from rel_harness import PATIENCE, Server, bad_log_lines, make_workspace, start_server

from codemyspec_lsp.design.sections import KNOWN_SECTIONS

T = TypeVar("T")
BATCH = 50  # documents sent before the diagnostics are checked
EXAMPLES = 5_000  # documents per client kind: 10,000 in all
DESIGN_DIR = "docs/design/shop"

# -- documents ---------------------------------------------------------------------------

ODD_CHARACTERS = "\x00\t\u2028\u2029\x0b\x0c\x1c\x85\u200b\u0301\ufeff😀𝔘é中\u202e"
words = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(ODD_CHARACTERS),
        st.sampled_from("|`#*-_[]()<>{}\\"),
    ),
    max_size=40,
)
section_titles = st.sampled_from([s.title for s in KNOWN_SECTIONS] + ["Notes", "", "   "])
heading = st.builds(
    lambda level, title: "#" * level + " " + title,
    st.integers(1, 7),
    st.one_of(section_titles, words),
)
fence = st.builds(
    lambda marker, lang, body, closed: "\n".join([marker + lang, *body, marker if closed else ""]),
    st.sampled_from(["```", "~~~", "````"]),
    st.sampled_from(["", "elixir", "mermaid", "yaml"]),
    st.lists(words, max_size=4),
    st.booleans(),
)
table = st.builds(
    lambda rows: "\n".join("| " + " | ".join(row) + " |" for row in rows),
    st.lists(st.lists(st.one_of(words, st.just("---")), min_size=0, max_size=4), max_size=5),
)
list_block = st.builds(
    lambda marker, items: "\n".join(f"{marker} {item}" for item in items),
    st.sampled_from(["-", "*", "1.", "+", "- [ ]"]),
    st.lists(words, min_size=1, max_size=4),
)
component = st.builds(
    lambda name, kind: f"### {name}\n\n| field | value |\n| --- | --- |\n| type | {kind} |\n",
    st.one_of(st.just("Shop.Accounts.User"), words),
    st.one_of(st.sampled_from(["schema", "context", "genserver"]), words),
)
block = st.one_of(heading, fence, table, list_block, component, words)
newline = st.sampled_from(["\n", "\r\n", "\r"])
document = st.builds(lambda blocks, end: end.join(blocks), st.lists(block, max_size=12), newline)


@dataclass(frozen=True)
class Edit:
    start: float  # where, as a fraction of the text
    length: float
    text: str
    whole: bool  # a whole-document change instead of an incremental one


edit = st.builds(
    Edit,
    st.floats(0, 1),
    st.floats(0, 0.3),
    st.one_of(words, block, newline),
    st.integers(0, 4).map(lambda n: n == 0),  # one change in five replaces everything
)
case = st.tuples(document, st.lists(edit, max_size=4))


# -- LSP positions (UTF-16, lines end at LF, CRLF or CR only) ------------------------------

LINE_END = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    starts = [0]
    i = 0
    while i < len(text):
        if text[i] == "\r":
            i += 2 if text[i + 1 : i + 2] == "\n" else 1
            starts.append(i)
        elif text[i] == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


def lsp_lines(text: str) -> list[str]:
    """Each line without its line end."""
    return LINE_END.split(text)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position(text: str, offset: int) -> types.Position:
    starts = line_starts(text)
    line = max(i for i, s in enumerate(starts) if s <= offset)
    return types.Position(line=line, character=utf16(text[starts[line] : offset]))


def inside(r: Any, lines: list[str]) -> bool:
    return all(
        0 <= p.line < len(lines) and 0 <= p.character <= utf16(lines[p.line])
        for p in (r.start, r.end)
    )


def clamp_offset(text: str, offset: int) -> int:
    # Never split a CRLF: an editor's positions are between characters of a line.
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


# -- one server on its own loop ------------------------------------------------------------


class Loop:
    """A server driven from a thread of its own, so that Hypothesis' examples stay sync."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(PATIENCE.seconds)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@dataclass
class Fuzzer:
    loop: Loop
    server: Server
    root: Path
    logs: Path
    documents: int = 0
    diagnostics: int = 0

    async def send_batch(self, batch: list[tuple[str, list[Edit]]]) -> dict[str, dict[int, str]]:
        """Open and edit every document of the batch; the text of each version by URI."""
        client = self.server.client
        texts: dict[str, dict[int, str]] = {}
        for text, edits in batch:
            self.documents += 1
            uri = (self.root / DESIGN_DIR / f"doc{self.documents}.md").as_uri()
            versions = texts[uri] = {1: text}
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
                )
            )
            for version, change in enumerate(edits, start=2):
                text, event = apply(text, change)
                versions[version] = text
                client.text_document_did_change(
                    types.DidChangeTextDocumentParams(
                        types.VersionedTextDocumentIdentifier(uri=uri, version=version), [event]
                    )
                )
        return texts

    async def check_batch(self, texts: dict[str, dict[int, str]]) -> None:
        client = self.server.client
        reports = await asyncio.gather(
            *(
                client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
                )
                for uri in texts
            )
        )
        for uri, report in zip(texts, reports, strict=True):
            last = max(texts[uri])
            lines = lsp_lines(texts[uri][last])
            for item in report.items:
                self.diagnostics += 1
                assert inside(item.range, lines), (texts[uri][last], item)
        for params in self.server.seen(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS):
            versions = texts.get(params.uri)
            if versions is None:
                continue
            assert params.version is not None, "a pushed open document names its version"
            lines = lsp_lines(versions[params.version])
            for item in params.diagnostics:
                self.diagnostics += 1
                assert inside(item.range, lines), (versions[params.version], item)
        self.server.notifications.clear()
        for uri in texts:
            client.text_document_did_close(
                types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
            )
        assert self.server.alive()

    def batch(self, batch: list[tuple[str, list[Edit]]]) -> None:
        async def both() -> None:
            await self.check_batch(await self.send_batch(batch))

        self.loop.run(both())


def apply(text: str, change: Edit) -> tuple[str, Any]:
    """The text after `change`, and the didChange event that says so."""
    if change.whole:
        return change.text, types.TextDocumentContentChangeWholeDocument(text=change.text)
    start = clamp_offset(text, int(change.start * len(text)))
    end = clamp_offset(text, min(len(text), start + int(change.length * len(text))))
    event = types.TextDocumentContentChangePartial(
        range=types.Range(position(text, start), position(text, end)), text=change.text
    )
    return text[:start] + change.text + text[end:], event


@pytest.fixture(params=["neovim", "visual-studio-code"])
def fuzzer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fuzzer]:
    root = make_workspace(tmp_path / "shop")
    (root / DESIGN_DIR).mkdir(parents=True)
    logs = tmp_path / "logs"
    loop = Loop()
    server = loop.run(start_server(root, logs, request.param))
    yield Fuzzer(loop, server, root, logs)
    loop.run(server.close())
    loop.close()


# No wall-clock limit on the whole test (its work is fixed, its speed the machine's):
# every wait in it is bounded by PATIENCE, derived from start-ups measured in this run.
@pytest.mark.timeout(0)
@pytest.mark.slow
def test_generated_documents_and_edits_never_break_the_server(fuzzer: Fuzzer) -> None:
    pending: list[tuple[str, list[Edit]]] = []

    # One example is one document with its edits; they reach the server in batches (a
    # failure names the document's text, so the batch, not the example, is the unit).
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case)
    def run(one: tuple[str, list[Edit]]) -> None:
        pending.append(one)
        if len(pending) == BATCH:
            fuzzer.batch(pending)
            pending.clear()

    run()
    if pending:
        fuzzer.batch(pending)
    print(f"{fuzzer.documents} documents, {fuzzer.diagnostics} diagnostics checked")
    assert fuzzer.documents >= EXAMPLES
    assert fuzzer.diagnostics > 0
    assert fuzzer.server.alive()
    assert bad_log_lines(*fuzzer.logs.iterdir()) == []
