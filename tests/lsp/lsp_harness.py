"""End-to-end harness: real `python -m codemyspec_lsp` processes driven by pytest-lsp clients.

Every test runs twice, once as Neovim (pulls diagnostics) and once as VS Code 1.65
(push only), because the server treats the two differently and both must see the same
diagnostics. Workspaces are built in tmp_path from tests/lsp/data.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from codemyspec_lsp import protocol
from codemyspec_lsp.lsp.params import to_plain

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

DATA = Path(__file__).resolve().parent / "data"
FAKE_AGENT = TESTS / "fakes" / "fake_agent.py"
VALID = (DATA / "valid_design.md").read_text(encoding="utf-8")
FLAWED = (DATA / "flawed_design.md").read_text(encoding="utf-8")
SERVER = [sys.executable, "-m", "codemyspec_lsp"]
DESIGN = "docs/design/shop/accounts.md"
# What the user sees on the agent's first (flawed) design: (code, 0-based line).
FLAWED_SEEN = [("CMS101", 0), ("CMS101", 0), ("CMS120", 21)]
CLIENTS = {"neovim": "neovim", "vscode": "visual-studio-code"}


class Patience:
    """How long to wait for something to happen before calling it a hang, from this run.

    `FACTOR` times the slowest server start-up (process start -> initialize answered)
    measured so far in this test process, never less than `FLOOR_S`: on a machine so
    loaded that a start-up takes seconds, every wait grows with it. It bounds hangs only;
    no test asserts that anything is fast (the reliability harness shares it).
    """

    FACTOR = 40.0
    FLOOR_S = 15.0

    def __init__(self) -> None:
        self.start_up = 0.0

    def note_start_up(self, seconds: float) -> None:
        self.start_up = max(self.start_up, seconds)

    @property
    def seconds(self) -> float:
        return max(self.FLOOR_S, self.FACTOR * self.start_up)


PATIENCE = Patience()
SEEN_WITHIN_S = 2.0  # protocol.md: a change by another process is seen within 2 seconds


async def seen_within(
    store_look: Callable[[], Awaitable[Any]], spec_s: float = SEEN_WITHIN_S
) -> float:
    """protocol.md's 2 seconds for seeing another process's change, plus three times what
    one look at the store costs the observing server right now (`store_look`: a request
    that reads the store, timed here): the spec's bound on a machine as loaded as this
    one. On a quiet machine a look costs a few ms and the bound is the spec's."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    await store_look()
    return spec_s + 3 * (loop.time() - started)


CONFIG = f"""
[project]
name = "Shop"

[agent]
command = ["{{python}}", "{FAKE_AGENT.as_posix()}"]
timeout_seconds = 60

[environment]
setup = "none"
"""


def make_workspace(root: Path, designs: dict[str, str] | None = None, config: str = CONFIG) -> Path:
    """A workspace: config, a README, and design files (path relative to the root: text)."""
    (root / ".codemyspec").mkdir(parents=True, exist_ok=True)
    (root / ".codemyspec" / "config.toml").write_text(config, encoding="utf-8")
    (root / "README.md").write_text("# Shop\n\nNot a design.\n", encoding="utf-8")
    for relative, text in (designs or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "shop")


@pytest.fixture(params=sorted(CLIENTS))
def client_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _client_factory() -> LanguageClient:
    client = make_test_lsp_client()
    client.session_changes = []  # type: ignore[attr-defined]

    @client.feature(protocol.SESSION_CHANGED)
    def session_changed(ls: LanguageClient, params: Any) -> None:
        client.session_changes.append(to_plain(params)["session"])  # type: ignore[attr-defined]

    return client


@asynccontextmanager
async def lsp_client(
    kind: str,
    *folders: Path,
    settings: dict[str, Any] | None = None,
    initialize: bool = True,
    capabilities: types.ClientCapabilities | None = None,
) -> AsyncIterator[LanguageClient]:
    """A server process for these folders with a client of this kind, initialised."""
    config = ClientServerConfig(server_command=SERVER, client_factory=_client_factory)
    started = time.monotonic()
    client: LanguageClient = await config.start()  # type: ignore[assignment]
    if settings is not None:
        client.set_configuration({protocol.CONFIG_SECTION: settings})
    try:
        if initialize:
            await client.initialize_session(
                types.InitializeParams(
                    capabilities=capabilities or client_capabilities(CLIENTS[kind]),
                    root_uri=folders[0].as_uri() if folders else None,
                    workspace_folders=[
                        types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders
                    ],
                )
            )
            PATIENCE.note_start_up(time.monotonic() - started)
        yield client
    finally:
        try:
            await asyncio.wait_for(client.shutdown_session(), PATIENCE.seconds)
        finally:
            await stop_client(client)


async def stop_client(client: LanguageClient) -> None:
    """`client.stop()`, which waits for the server process to exit, bounded by `PATIENCE`: a
    server still running then (it never got `exit`, or ignored it) is killed, and the test
    fails naming it instead of hanging until the suite's timeout."""
    try:
        await asyncio.wait_for(client.stop(), PATIENCE.seconds)
        return
    except asyncio.TimeoutError:
        pass
    process = client._server
    pid = process.pid if process is not None else None
    if process is not None and process.returncode is None:
        process.kill()
    await asyncio.wait_for(client.stop(), PATIENCE.seconds)  # a killed process exits
    raise AssertionError(
        f"the server {' '.join(SERVER)} (pid {pid}) had not exited {PATIENCE.seconds:.0f} s "
        "after the client stopped; it was killed"
    )


@pytest.fixture(params=["executeCommand", "request"])
def call_either_way(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Both ways of calling a command: they must behave the same."""
    return command if request.param == "executeCommand" else globals()["request"]


@pytest.fixture
def open_client(client_kind: str) -> Callable[..., Any]:
    """`async with open_client(folder, ...) as client` for this test's client kind."""

    def start(*folders: Path, **kwargs: Any) -> Any:
        return lsp_client(client_kind, *folders, **kwargs)

    return start


# -- what the user sees -------------------------------------------------------------------


def pulls(client: LanguageClient) -> bool:
    caps = client.capabilities
    return bool(caps and caps.text_document and caps.text_document.diagnostic)


async def eventually(check: Callable[[], Any], timeout: float | None = None) -> Any:
    """Poll `check` until it returns something truthy (hang guard: `PATIENCE`)."""
    timeout = PATIENCE.seconds if timeout is None else timeout
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not seen within {timeout} s")
        await asyncio.sleep(0.05)


def codes_at(items: Any) -> list[tuple[str, int]]:
    """(code, line) of each diagnostic, as a user reads the Problems view."""
    return sorted((str(d.code), d.range.start.line) for d in items)


async def shown(client: LanguageClient, uri: str) -> list[tuple[str, int]]:
    """The diagnostics the editor shows for an open document right now."""
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return codes_at(report.items)
    return codes_at(client.diagnostics.get(uri, []))


async def shown_eventually(
    client: LanguageClient, uri: str, expected: list[tuple[str, int]]
) -> None:
    """Wait until the editor shows exactly `expected` for `uri` (open or not)."""
    last: list[tuple[str, int]] = []

    async def matches() -> bool:
        nonlocal last
        last = await shown(client, uri) if uri in client_open_uris(client) else pushed(client, uri)
        return last == expected

    deadline = asyncio.get_running_loop().time() + PATIENCE.seconds
    while not await matches():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{uri}: expected {expected}, the editor shows {last}")
        await asyncio.sleep(0.05)


def pushed(client: LanguageClient, uri: str) -> list[tuple[str, int]]:
    return codes_at(client.diagnostics.get(uri, []))


def client_open_uris(client: LanguageClient) -> set[str]:
    return set(getattr(client, "open_uris", set()))


def open_document(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.open_uris = client_open_uris(client) | {uri}  # type: ignore[attr-defined]
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="markdown",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def close_document(client: LanguageClient, uri: str) -> None:
    client.open_uris = client_open_uris(client) - {uri}  # type: ignore[attr-defined]
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def replace_document(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def edit_line(client: LanguageClient, uri: str, version: int, line: int, text: str) -> None:
    """Replace one whole line (without its newline): an incremental change."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=0),
                        end=types.Position(line=line + 1, character=0),
                    ),
                    text=text + "\n",
                )
            ],
        )
    )


async def command(client: LanguageClient, name: str, params: dict[str, Any]) -> Any:
    """A command through workspace/executeCommand, the way editors call it."""
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=[params])
    )
    return to_plain(result)


async def request(client: LanguageClient, name: str, params: Any) -> Any:
    """A command as a direct request of the same name."""
    return to_plain(await client.protocol.send_request_async(name, params))


def apply_lsp_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (of one document) to its text, as an editor does."""
    from codemyspec_lsp.design.diagnostics import Position, Range
    from codemyspec_lsp.editing.textedit import TextEdit, apply_edits

    return apply_edits(
        text,
        [
            TextEdit(
                Range(
                    Position(e.range.start.line, e.range.start.character),
                    Position(e.range.end.line, e.range.end.character),
                ),
                e.new_text,
            )
            for e in edits
        ],
    )
