"""Logging to the client (`window/logMessage`) and to an optional file, never to stdout.

Records of pygls and lsprotocol are not forwarded: pygls logs every message it sends, so
forwarding them would send a log message about sending a log message, forever.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError

if TYPE_CHECKING:
    import asyncio

    from codemyspec_lsp.lsp.server import CodeMySpecServer

PACKAGE = "codemyspec_lsp"
LIBRARY_LOGGERS = ("pygls", "lsprotocol", "asyncio")
JSON_RPC_LOGGER = "pygls.protocol.json_rpc"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_MESSAGE_TYPES = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
)


def message_type(levelno: int) -> types.MessageType:
    for threshold, kind in _MESSAGE_TYPES:
        if levelno >= threshold:
            return kind
    return types.MessageType.Log


class ClientLogHandler(logging.Handler):
    """Sends records to the client as `window/logMessage`, always from the event loop.

    Records logged from worker threads are handed to the loop: two threads writing to
    the wire at once would interleave their frames.
    """

    def __init__(self, server: CodeMySpecServer) -> None:
        super().__init__()
        self._server = server
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self.addFilter(self._not_from_libraries)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start forwarding: called on the loop once the connection is up."""
        self._loop = loop
        self._loop_thread = threading.get_ident()

    @staticmethod
    def _not_from_libraries(record: logging.LogRecord) -> bool:
        return record.name.split(".", 1)[0] not in LIBRARY_LOGGERS

    def emit(self, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is None or loop.is_closed() or self._server.protocol.writer is None:
            return
        try:
            params = types.LogMessageParams(
                type=message_type(record.levelno), message=self.format(record)
            )
            if threading.get_ident() == self._loop_thread:
                self._server.window_log_message(params)
            else:
                loop.call_soon_threadsafe(self._server.window_log_message, params)
        except Exception:  # logging must never take the server down
            self.handleError(record)


class ErrorAnswers(logging.Filter):
    """pygls logs every error answer with a traceback, also the protocol's expected ones
    (-32602 bad params, -32001..-32005): keep those to one INFO line, so that a traceback
    in the log always means a bug. Internal errors (-32603) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, JsonRpcException) and error.code != JsonRpcInternalError.CODE:
            record.msg, record.args = "answered with error %s: %s", (error.code, error.message)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


def configure_logging(server: CodeMySpecServer, *, level: int, log_file: str | None) -> None:
    """`level` applies to the server's own records; libraries log warnings and worse
    (markdown-it logs every block rule at DEBUG, pygls every message at INFO)."""
    root = logging.getLogger()
    root.setLevel(max(level, logging.WARNING))
    logging.getLogger(PACKAGE).setLevel(level)
    logging.getLogger(JSON_RPC_LOGGER).addFilter(ErrorAnswers())
    for handler in list(root.handlers):  # nothing may write to stdout, the wire
        root.removeHandler(handler)
    if log_file:
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(file_handler)
    client_handler = ClientLogHandler(server)
    client_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(client_handler)
    server.log_handler = client_handler
