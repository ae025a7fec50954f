"""The driver's connection to a CodeMySpec server: a child process spoken to over stdio.

pygls' LanguageClient does the JSON-RPC; this adds start-up (initialize with the
workspace folder), the protocol's commands through ``workspace/executeCommand`` (its
results arrive as plain JSON, unlike direct custom requests, which pygls turns into
namedtuples), pushed diagnostics kept per file, and a clean shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import LanguageClient
from pygls.uris import to_fs_path

from codemyspec_lsp import __version__, protocol

STOP_SECONDS = 5.0
# No protocol request legitimately takes minutes; a server that does is stuck, and the
# driver says so instead of hanging the terminal.
START_SECONDS = 60.0
CALL_SECONDS = 300.0
STDERR_LINES = 200


def _ignore(params: Any) -> None:
    return None


def _plain(handler: Callable[[Any], None]) -> Callable[[Any], None]:
    """A fresh function for pygls, which tags handlers with attributes (a bound method
    cannot carry them) and passes only the params (the first parameter is not `ls`)."""

    def handle(params: Any) -> None:
        handler(params)

    return handle


class ServerError(Exception):
    """The server answered with an error, or could not be reached."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ServerClient:
    def __init__(self, workspace: Path, on_message: Any = None) -> None:
        self.workspace = workspace
        self.client = LanguageClient("codemyspec-cli", __version__)
        self.diagnostics: dict[Path, list[types.Diagnostic]] = {}
        self.stderr_tail: deque[str] = deque(maxlen=STDERR_LINES)
        self._on_message = on_message
        self._stderr_task: asyncio.Task[None] | None = None
        self._register_handlers()

    def _register_handlers(self) -> None:
        handlers: dict[str, Any] = {
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: self._publish_diagnostics,
            types.WINDOW_SHOW_MESSAGE: self._show_message,
            # The server's log is for editors' output panels, not the terminal; progress
            # and sessionChanged are for editors too: the driver asks for what it needs.
            types.WINDOW_LOG_MESSAGE: _ignore,
            types.WINDOW_WORK_DONE_PROGRESS_CREATE: _ignore,
            types.PROGRESS: _ignore,
            protocol.SESSION_CHANGED: _ignore,
        }
        client: Any = self.client  # pygls' client methods carry no type hints
        for method, handler in handlers.items():
            client.feature(method)(_plain(handler))

    def _publish_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        path = to_fs_path(params.uri)
        if path is not None:
            self.diagnostics[Path(path).resolve()] = list(params.diagnostics)

    def _show_message(self, params: types.ShowMessageParams) -> None:
        if self._on_message is not None:
            self._on_message(params.message)

    # -- life cycle --------------------------------------------------------------------------

    async def start(self) -> None:
        # The driver reports failures itself; pygls' own log lines would only add noise.
        logging.getLogger("pygls").setLevel(logging.CRITICAL)
        # A session of its own: the terminal's Ctrl-C must reach the driver only, which
        # then reports the interruption to a server that is still running.
        await self.client.start_io(
            sys.executable, "-m", "codemyspec_lsp", cwd=str(self.workspace), start_new_session=True
        )
        # pygls pipes the server's stderr without reading it; drain it so a chatty server
        # never blocks, and keep the tail for error messages.
        server = self.client._server
        if server is not None and server.stderr is not None:
            self._stderr_task = asyncio.ensure_future(self._drain(server.stderr))
        uri = self.workspace.as_uri()
        params = types.InitializeParams(
            process_id=os.getpid(),
            root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name=self.workspace.name)],
            capabilities=types.ClientCapabilities(
                text_document=types.TextDocumentClientCapabilities(
                    publish_diagnostics=types.PublishDiagnosticsClientCapabilities()
                ),
                window=types.WindowClientCapabilities(work_done_progress=False),
            ),
            client_info=types.ClientInfo(name="codemyspec-cli", version=__version__),
        )
        try:
            await asyncio.wait_for(self.client.initialize_async(params), START_SECONDS)
        except asyncio.TimeoutError as error:
            raise ServerError(self._explain("the server did not answer initialize")) from error
        except (JsonRpcException, RuntimeError) as error:
            raise ServerError(self._explain(f"the server did not start: {error}")) from error
        self.client.initialized(types.InitializedParams())

    async def _drain(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            self.stderr_tail.append(line.decode("utf-8", "replace").rstrip())

    async def stop(self) -> None:
        """shutdown + exit, then wait for the process; kill it if it does not go."""
        if not self.client.stopped:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.shutdown_async(None), STOP_SECONDS)
            with contextlib.suppress(Exception):
                self.client.exit(None)
        server = self.client._server
        try:
            stopping: Any = self.client.stop  # untyped in pygls
            await asyncio.wait_for(stopping(), STOP_SECONDS)
        except asyncio.TimeoutError:
            if server is not None and server.returncode is None:
                server.kill()
                await server.wait()
        if self._stderr_task is not None:
            self._stderr_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._stderr_task

    # -- the protocol ------------------------------------------------------------------------

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Run a protocol command; raises ServerError with the JSON-RPC code."""
        try:
            return await asyncio.wait_for(
                self.client.workspace_execute_command_async(
                    types.ExecuteCommandParams(command=method, arguments=[params])
                ),
                CALL_SECONDS,
            )
        except asyncio.TimeoutError as error:
            raise ServerError(self._explain(f"the server did not answer {method}")) from error
        except JsonRpcException as error:
            raise ServerError(error.message, error.code) from error
        except RuntimeError as error:  # the server process is gone
            raise ServerError(self._explain(str(error))) from error

    def diagnostics_for(self, path: Path) -> list[types.Diagnostic]:
        return self.diagnostics.get(path.resolve(), [])

    def _explain(self, message: str) -> str:
        tail = "\n".join(list(self.stderr_tail)[-20:])
        return f"{message}\nserver stderr:\n{tail}" if tail else message
