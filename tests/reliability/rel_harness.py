"""Real server processes for the reliability suite, driven by a plain pygls client.

`start_server` runs `python -m codemyspec_lsp` (stdio); `ForkServer.start` gets the same
entry point from a pre-imported fork server (see rel_forkserver.py), for tests that start
hundreds of servers. Either way the test holds the process id (to SIGKILL it), the
server's log file (to look for tracebacks) and every notification the server sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import LanguageClient
from pytest_lsp import client_capabilities

from codemyspec_lsp import protocol
from codemyspec_lsp.lsp.params import to_plain
from codemyspec_lsp.session.models import Command
from codemyspec_lsp.store import store_url
from codemyspec_lsp.workspace.config import load_config

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

if str(TESTS / "lsp") not in sys.path:
    sys.path.insert(0, str(TESTS / "lsp"))

from lsp_harness import CONFIG, PATIENCE, seen_within  # noqa: E402, F401 (seen_within: for tests)

from fakes.run_command import run_command  # noqa: E402
from pg_cluster import database_snapshot  # noqa: E402

FORK_SERVER = Path(__file__).resolve().parent / "rel_forkserver.py"
SERVER = [sys.executable, "-m", "codemyspec_lsp"]
BAD_LOG_LINES = ("Traceback", "Error handling", "Unhandled", "CRITICAL")


def make_workspace(
    root: Path, config: str = CONFIG, designs: dict[str, str] | None = None, store: str = ""
) -> Path:
    """A workspace; ``store`` is its `[store]` table (empty: the local TinyDB store)."""
    (root / ".codemyspec").mkdir(parents=True, exist_ok=True)
    (root / ".codemyspec" / "config.toml").write_text(config + store, encoding="utf-8")
    for relative, text in (designs or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def store_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under .codemyspec/ except the lock, by relative path: to compare bytes
    (for a workspace on PostgreSQL: every row of its project)."""
    config = load_config(root)[0]
    url = store_url(config)
    if url is not None:
        return database_snapshot(url, config.store_project)
    folder = root / ".codemyspec"
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "sessions.lock"
    }


def bad_log_lines(*paths: Path) -> list[str]:
    """Lines of server logs and stderr that show an unhandled exception."""
    found = []
    for path in paths:
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [line for line in text.splitlines() if any(b in line for b in BAD_LOG_LINES)]
    return found


@dataclass
class Server:
    """One server process and the client talking to it."""

    client: LanguageClient
    pid: int
    log: Path
    err: Path
    notifications: list[tuple[str, Any]] = field(default_factory=list)
    killed: bool = False
    started: float = field(default_factory=time.monotonic)  # when the process was started
    start_up: float | None = None  # seconds from `started` to its initialize answer

    def seen(self, method: str) -> list[Any]:
        return [params for m, params in self.notifications if m == method]

    def session_changes(self) -> list[dict[str, Any]]:
        return [p["session"] for p in self.seen(protocol.SESSION_CHANGED)]

    async def request(self, method: str, params: Any) -> Any:
        """A direct request; JSON-RPC errors raise `JsonRpcException` (with `.code`)."""
        future = self.client.protocol.send_request_async(method, params)
        return to_plain(await asyncio.wait_for(future, PATIENCE.seconds))

    async def execute(self, name: str, arguments: list[Any] | None) -> Any:
        params = types.ExecuteCommandParams(command=name, arguments=arguments)
        future = self.client.workspace_execute_command_async(params)
        return to_plain(await asyncio.wait_for(future, PATIENCE.seconds))

    async def command(self, name: str, params: dict[str, Any]) -> Any:
        return await self.execute(name, [params])

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return not _is_zombie(self.pid)

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        self.killed = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        for future in list(self.client.protocol._request_futures.values()):
            if not future.done():
                future.set_exception(ConnectionError("server killed"))
        await self._stop_client()

    async def close(self) -> None:
        """shutdown + exit, as an editor closes."""
        if not self.killed:
            try:
                await asyncio.wait_for(self.client.shutdown_async(None), PATIENCE.seconds)
                self.client.exit(None)
            except (JsonRpcException, ConnectionError, TimeoutError):
                pass
        await self._stop_client()
        deadline = time.monotonic() + PATIENCE.seconds
        while self.alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def _stop_client(self) -> None:
        writer = self.client.protocol.writer
        if writer is not None and hasattr(writer, "close"):
            writer.close()
        self.client._stop_event.set()
        hung = False
        server = getattr(self.client, "_server", None)
        if server is not None:
            try:  # its stdin is closed, so it exits; bounded so that a hang names the server
                await asyncio.wait_for(server.wait(), PATIENCE.seconds)
            except asyncio.TimeoutError:
                hung = True
                server.kill()
                await asyncio.wait_for(server.wait(), PATIENCE.seconds)
        for task in self.client._async_tasks:
            task.cancel()
        await asyncio.gather(*self.client._async_tasks, return_exceptions=True)
        if hung:
            raise AssertionError(
                f"the server {' '.join(SERVER)} (pid {self.pid}) had not exited "
                f"{PATIENCE.seconds:.0f} s after its input was closed; it was killed"
            )


def _is_zombie(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def new_client(server_holder: list[Server]) -> LanguageClient:
    client = LanguageClient("reliability-test", "1")

    def record(method: str) -> Callable[[Any, Any], None]:
        def handler(ls: Any, params: Any) -> None:
            if server_holder:
                server_holder[0].notifications.append((method, to_plain(params)))

        return handler

    for method in (
        protocol.SESSION_CHANGED,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
        types.WINDOW_SHOW_MESSAGE,
        types.WINDOW_LOG_MESSAGE,
    ):
        client.feature(method)(record(method))

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def configuration(ls: Any, params: types.ConfigurationParams) -> list[Any]:
        return [None for _ in params.items]

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def progress_create(ls: Any, params: Any) -> None:
        return None

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(ls: Any, params: Any) -> None:
        return None

    @client.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
    def refresh(ls: Any, params: Any) -> None:
        return None

    @client.feature(types.PROGRESS)
    def progress(ls: Any, params: Any) -> None:
        return None

    return client


@functools.cache
def capabilities(kind: str) -> types.ClientCapabilities:
    # Building them costs 60 to 300 ms each time: more than a forked server's start-up.
    return client_capabilities(kind)


async def initialize(server: Server, root: Path, kind: str = "neovim") -> None:
    """initialize (its answer times the server's start-up, see `Patience`), initialized."""
    params = types.InitializeParams(
        capabilities=capabilities(kind),
        process_id=os.getpid(),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
    )
    await asyncio.wait_for(server.client.initialize_async(params), PATIENCE.seconds)
    server.start_up = time.monotonic() - server.started
    PATIENCE.note_start_up(server.start_up)
    server.client.initialized(types.InitializedParams())


async def spawn_server(log_dir: Path) -> Server:
    """`python -m codemyspec_lsp` over stdio, not yet initialised."""
    holder: list[Server] = []
    client = new_client(holder)
    log_dir.mkdir(parents=True, exist_ok=True)
    index = len(list(log_dir.glob("exec-*.log")))
    log = log_dir / f"exec-{index}.log"
    err = log_dir / f"exec-{index}.err"
    started = time.monotonic()
    await client.start_io(*SERVER, "--log-file", str(log))
    process = client._server
    assert process is not None and process.stderr is not None
    asyncio.get_running_loop().create_task(_drain(process.stderr, err))
    server = Server(client=client, pid=process.pid, log=log, err=err, started=started)
    holder.append(server)
    return server


async def start_server(root: Path, log_dir: Path, kind: str = "neovim") -> Server:
    """`python -m codemyspec_lsp` over stdio, initialised on `root`."""
    server = await spawn_server(log_dir)
    await initialize(server, root, kind)
    return server


async def _drain(stream: asyncio.StreamReader, path: Path) -> None:
    with path.open("ab") as out:
        while chunk := await stream.read(65536):
            out.write(chunk)
            out.flush()


class ForkServer:
    """`rel_forkserver.py`: servers in about 10 ms each."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._process: asyncio.subprocess.Process | None = None
        self._port = 0
        self._starting = asyncio.Lock()  # one connection at a time: pids come back in order

    async def __aenter__(self) -> ForkServer:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(FORK_SERVER),
            str(self.log_dir),
            stdout=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL,
        )
        self._port = int(await self._line())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    async def _line(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), PATIENCE.seconds)
        if not line:
            raise RuntimeError("the fork server died")
        return line.decode().strip()

    async def start(self, root: Path | None, kind: str = "neovim") -> Server:
        """A fresh server process; initialised on `root` unless it is None."""
        holder: list[Server] = []
        client = new_client(holder)
        async with self._starting:
            started = time.monotonic()
            await client.start_tcp("127.0.0.1", self._port)
            pid = int(await self._line())
        server = Server(
            client=client,
            pid=pid,
            log=self.log_dir / f"server-{pid}.log",
            err=self.log_dir / f"server-{pid}.err",
            started=started,
        )
        holder.append(server)
        if root is not None:
            await initialize(server, root, kind)
        return server


async def pull(server: Server, uri: str) -> list[str]:
    """The diagnostic codes the server gives for ``uri`` when the editor asks (pull)."""
    report = await asyncio.wait_for(
        server.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
        ),
        PATIENCE.seconds,
    )
    return sorted(str(d.code) for d in report.items)


# -- a session step as a client runs it -------------------------------------------------------


async def run_step_command(step: dict[str, Any]) -> dict[str, Any]:
    """Run the step's command like a client (argv, no shell); the result to report."""
    command = Command.model_validate(step["command"])
    result = await asyncio.to_thread(run_command, command)
    return result.model_dump(mode="json", by_alias=True, exclude_none=True)
