"""The language server object: pygls' `LanguageServer` holding CodeMySpec's state.

State lives here, handlers live in the feature modules and are registered in `setup.py`.
Threads: the event loop owns the wire; one worker thread owns every store access
(TinyDB is not thread-safe, and a slow lock must not stall typing); another runs
validations so that a long document never blocks the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import cattrs
from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    LanguageServerProtocol,
    _params_field_structure_hook,
    default_converter,
    lsp_method,
)

from codemyspec_lsp import __version__
from codemyspec_lsp.lsp.diagnostics import DiagnosticsStore
from codemyspec_lsp.lsp.documents import open_text, use_lsp_lines
from codemyspec_lsp.lsp.projects import Projects

if TYPE_CHECKING:
    from collections.abc import Generator

    from codemyspec_lsp.lsp.architecture import Architecture
    from codemyspec_lsp.lsp.log import ClientLogHandler
    from codemyspec_lsp.lsp.validation import DocumentValidator
    from codemyspec_lsp.lsp.watcher import SessionWatcher

logger = logging.getLogger(__name__)
T = TypeVar("T")

OUR_METHODS = "codemyspec/"

# What handle_message ignores (wrong jsonrpc version): stands in for a request that has
# already been answered with an error while it was being read.
_ANSWERED = JsonRPCNotification(method="", jsonrpc="answered", params=None)


def _raw_params(obj: dict[str, Any], cls: type[Any]) -> Any:
    """Keep our methods' params as plain JSON (pygls would build lossy namedtuples)."""
    if str(obj.get("method", "")).startswith(OUR_METHODS):
        fields = {name: obj.get(name) for name in ("method", "jsonrpc", "params")}
        if cls is JsonRPCRequestMessage:
            return cls(id=obj.get("id"), **fields)
        return cls(**fields)
    return _params_field_structure_hook(obj, cls)  # type: ignore[no-untyped-call]


def make_converter() -> cattrs.Converter:
    converter: cattrs.Converter = default_converter()  # type: ignore[no-untyped-call]
    converter.register_structure_hook(JsonRPCRequestMessage, _raw_params)
    converter.register_structure_hook(JsonRPCNotification, _raw_params)
    return converter


class _Futures(dict[Any, Any]):
    """`_request_futures` whose views are snapshots. pygls' `shutdown` cancels each
    pending future while iterating `items()`, and cancelling a request's future (an
    executeCommand still running, say) answers it at once, which takes it out of this
    dict: the changed dict failed the shutdown, the client never sent `exit`, and the
    server (and the editor or test waiting for it) stayed up."""

    def items(self) -> Any:
        return list(super().items())

    def keys(self) -> Any:
        return list(super().keys())

    def values(self) -> Any:
        return list(super().values())


class CodeMySpecProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request_futures = _Futures()

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        """pygls 2.1 files the future of every notification (didChange, didSave, ...) under
        a fresh id in `_request_futures` and never takes it out: a server kept open all
        day grew by one future per keystroke (found by the soak). Take it out when done,
        on the loop's next turn: a future cancelled by `shutdown` calls back at once, while
        pygls iterates `_request_futures`, and a changed dict there failed the shutdown
        (the server then never exited)."""
        if callback == self._check_handler_result:
            check = callback
            loop = asyncio.get_running_loop()

            def done(future: Any) -> None:
                loop.call_soon_threadsafe(self._request_futures.pop, msg_id, None)
                check(future)

            callback = done
        super()._execute_handler(msg_id, handler, callback, args, kwargs)

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        # The core counts columns in UTF-16 code units, LSP's default: offer only that,
        # even to clients that prefer UTF-8 (Neovim 0.11 does).
        general = params.capabilities.general
        if general is not None:
            general.position_encodings = None
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        use_lsp_lines(self._workspace)
        return result

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Answer a request whose params do not fit the method's type at once.

        pygls raises while reading it, and the request would otherwise never be answered.
        """
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" not in data or "method" not in data:
                raise
            cause = error.__cause__ or error
            message = f"invalid params for {data['method']!r}: {cause}".splitlines()[0]
            self._send_response(data["id"], error=JsonRpcInvalidParams(message).to_response_error())
            return _ANSWERED


class CodeMySpecServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "codemyspec-lsp",
            __version__,
            protocol_cls=CodeMySpecProtocol,
            converter_factory=make_converter,
        )
        self.log_handler: ClientLogHandler | None = None
        self.projects = Projects()
        self.diagnostics = DiagnosticsStore()
        self.store_executor = ThreadPoolExecutor(1, thread_name_prefix="codemyspec-store")
        self.validation_executor = ThreadPoolExecutor(1, thread_name_prefix="codemyspec-validate")
        # Set by setup.create_server: they need the server to exist first.
        self.validator: DocumentValidator
        self.architecture: Architecture
        self.watcher: SessionWatcher
        # Set once the workspace folders have their services (after `initialized`).
        self.ready = asyncio.Event()
        # The `codemyspec` settings a client without `workspace/configuration` pushed.
        self.pushed_settings: Any = None
        # Commands being answered. The start-up scan validates a file only while none is
        # running, so validating every design never holds back a command (above all the
        # first one, which arrives while the scan starts).
        self.commands_running = 0
        self.commands_idle = asyncio.Event()
        self.commands_idle.set()

    @contextlib.contextmanager
    def running_command(self) -> Iterator[None]:
        self.commands_running += 1
        self.commands_idle.clear()
        try:
            yield
        finally:
            self.commands_running -= 1
            if not self.commands_running:
                self.commands_idle.set()

    @contextlib.contextmanager
    def outside_command(self) -> Iterator[None]:
        """A command waiting for the start-up scan (getGraph) lets the scan go on."""
        self.commands_running -= 1
        if not self.commands_running:
            self.commands_idle.set()
        try:
            yield
        finally:
            self.commands_running += 1
            self.commands_idle.clear()

    # -- threads -----------------------------------------------------------------------------

    async def in_store(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a store-touching call on the store thread, one at a time."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.store_executor, fn, *args)

    async def in_validator(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.validation_executor, fn, *args)

    def open_document_text(self, path: Path) -> str | None:
        """The service's `open_document` callback: the editor's buffer, if open."""
        return open_text(self.workspace, path)

    # -- what the client can do ----------------------------------------------------------------

    def capability(self, path: str) -> Any:
        return get_capability(self.client_capabilities, path, None)

    @property
    def pulls_diagnostics(self) -> bool:
        return self.capability("text_document.diagnostic") is not None

    @property
    def refreshes_diagnostics(self) -> bool:
        return bool(self.capability("workspace.diagnostics.refresh_support"))

    @property
    def shows_progress(self) -> bool:
        return bool(self.capability("window.work_done_progress"))

    @property
    def answers_configuration(self) -> bool:
        return bool(self.capability("workspace.configuration"))

    def report_server_error(self, error: Exception, source: type[Any]) -> None:
        # A malformed message from the client is its problem, not the user's: log it
        # rather than pop up a message box (pygls' default).
        if isinstance(error, JsonRpcException) and source is JsonRpcException:
            logger.warning("bad message from the client: %s", error)
            return
        super().report_server_error(error, source)

    def shutdown(self) -> None:
        super().shutdown()  # type: ignore[no-untyped-call]
        self.store_executor.shutdown(wait=False, cancel_futures=True)
        self.validation_executor.shutdown(wait=False, cancel_futures=True)
