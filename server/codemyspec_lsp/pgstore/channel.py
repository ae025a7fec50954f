"""One connection pool and one LISTEN connection per database URL, shared by every
repository of the process (a server with several folders on one database, the tests).

Change notification: every committed change sends ``NOTIFY codemyspec, '<seq> <project>'``
inside its transaction (delivered on commit). The listener thread holds a connection
that LISTENs and keeps, per project, the highest change number heard of; ``stamp()``
reads that number, so watching for changes never polls the database. Whenever the
listener (re)connects it reads the counters once, so a change made while it was
disconnected is not missed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from codemyspec_lsp.pgstore import conninfo
from codemyspec_lsp.pgstore.schema import ensure_schema
from codemyspec_lsp.session.errors import StoreUnavailable

log = logging.getLogger(__name__)
# The pool logs every failed attempt; the listener reports an outage once instead.
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)

NOTIFY_CHANNEL = "codemyspec"
POOL_MAX = 4
WAIT_FOR_CONNECTION_S = 3.0  # a request waits this long for the database before -32005
CONNECT_TIMEOUT_S = 3
LISTEN_RETRY_S = (0.1, 0.2, 0.5, 1.0)  # the listener's reconnect delays, the last repeated
# TCP keepalives: a database gone without closing the socket is noticed within ~20 s.
_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 2,
}
ERRORS = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)
Conn = psycopg.Connection[tuple[object, ...]]


class Channel:
    def __init__(self, url: str) -> None:
        self.url = url
        self.location = conninfo.location(url)
        kwargs = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "codemyspec"}
        self._pool: ConnectionPool[Conn] = ConnectionPool(
            url,
            kwargs={**kwargs, **_KEEPALIVES},
            min_size=0,
            max_size=POOL_MAX,
            open=False,
            check=ConnectionPool.check_connection,
            timeout=WAIT_FOR_CONNECTION_S,
            reconnect_timeout=1.0,  # give up a failed attempt fast; the next request retries
            name=f"codemyspec {self.location}",
        )
        self._lock = threading.Lock()
        self._opened = False
        self._schema_ready = False
        self._stamps: dict[str, int] = {}
        self._listeners: dict[str, list[Callable[[], None]]] = {}
        self._listener: threading.Thread | None = None
        self._stopped = threading.Event()
        self.listening = threading.Event()  # set while the LISTEN connection is up
        # Why the database could not be reached, until a connection succeeds again: the
        # watcher's look at a never-read stamp then fails at once instead of waiting.
        self._down: str | None = None

    # -- connections ------------------------------------------------------------------------

    @contextlib.contextmanager
    def connection(self) -> Iterator[Conn]:
        """A pooled connection on a database with the current schema; -32005 when down."""
        with self._lock:
            if not self._opened:
                self._pool.open(wait=False)
                self._opened = True
        try:
            with self._pool.connection() as conn:
                self._down = None
                if not self._schema_ready:
                    ensure_schema(conn, self.location)
                    self._schema_ready = True
                yield conn
        except ERRORS as exc:
            self._down = self._unreachable(exc)
            raise StoreUnavailable(self._down) from None

    def _unreachable(self, exc: BaseException) -> str:
        reason = str(exc)
        if isinstance(exc, PoolTimeout):
            # The pool hides why it could not connect: ask libpq once, directly.
            try:
                psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S).close()
                reason = "no connection free in time"
            except psycopg.Error as direct:
                reason = str(direct)
        return conninfo.unreachable(self.url, reason)

    # -- change numbers ---------------------------------------------------------------------

    def stamp(self, project: str, read: Callable[[], int]) -> int:
        """The highest change number of ``project`` heard of; ``read`` asks the database
        the first time only (the listener catches up whenever it reconnects)."""
        self._start_listener()
        with self._lock:
            known = self._stamps.get(project)
        if known is None:
            if self._down is not None:
                raise StoreUnavailable(self._down)
            self.heard(project, read())
            with self._lock:
                known = self._stamps[project]
        return known

    def heard(self, project: str, seq: int) -> None:
        """A change numbered ``seq`` (or an older one) of ``project`` was committed."""
        with self._lock:
            before = self._stamps.get(project)
            if before is not None and seq <= before:
                return
            self._stamps[project] = seq
            callbacks = list(self._listeners.get(project, ()))
        if before is not None:
            for callback in callbacks:
                try:
                    callback()
                except Exception:  # a closed event loop, say: the next change tries again
                    log.debug("a change callback failed", exc_info=True)

    def subscribe(self, project: str, callback: Callable[[], None]) -> None:
        """``callback()`` (on the listener thread) after each change heard of."""
        with self._lock:
            self._listeners.setdefault(project, []).append(callback)
        self._start_listener()

    def _start_listener(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            self._listener = threading.Thread(
                target=self._listen, name="codemyspec-listen", daemon=True
            )
        self._listener.start()

    def _listen(self) -> None:
        failures = 0
        while not self._stopped.is_set():
            try:
                with psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    application_name="codemyspec-listen",
                    **_KEEPALIVES,  # type: ignore[arg-type]
                ) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._catch_up(conn)
                    self._down = None
                    self.listening.set()
                    failures = 0
                    while not self._stopped.is_set():
                        for notify in conn.notifies(timeout=1.0):
                            self._on_notify(notify.payload)
            except psycopg.Error as exc:
                message = conninfo.unreachable(self.url, str(exc))
                self._down = message
                if not self._stopped.is_set() and (self.listening.is_set() or failures == 0):
                    log.warning("%s", message)
            finally:
                self.listening.clear()
            delay = LISTEN_RETRY_S[min(failures, len(LISTEN_RETRY_S) - 1)]
            failures += 1
            self._stopped.wait(delay)

    def _catch_up(self, conn: Conn) -> None:
        with self._lock:
            projects = list(self._stamps)
        if not projects or not self._schema_ready:
            return
        rows = conn.execute(
            "SELECT project, seq FROM codemyspec.projects WHERE project = ANY(%s)", (projects,)
        ).fetchall()
        for project, seq in rows:
            self.heard(str(project), int(str(seq)))

    def _on_notify(self, payload: str) -> None:
        seq, _, project = payload.partition(" ")
        if seq.isdigit():
            self.heard(project, int(seq))

    def close(self) -> None:
        self._stopped.set()
        if self._opened:
            self._pool.close()
        if self._listener is not None:
            self._listener.join(timeout=2.0)


_channels: dict[str, Channel] = {}
_channels_lock = threading.Lock()
_abandoned: list[dict[str, Channel]] = []


def channel_for(url: str) -> Channel:
    with _channels_lock:
        channel = _channels.get(url)
        if channel is None:
            channel = _channels[url] = Channel(url)
        return channel


def close_all() -> None:
    """Stop every listener and pool of the process (tests, before their database stops)."""
    with _channels_lock:
        channels = list(_channels.values())
        _channels.clear()
    for channel in channels:
        channel.close()


def _forget_after_fork() -> None:
    """A forked child opens its own connections. The parent's are kept referenced and
    never touched: closing them here would end the parent's sessions with the server."""
    _abandoned.append(dict(_channels))
    _channels.clear()
    if _channels_lock.locked():  # held by a parent thread at the fork: never released here
        _channels_lock.release()


os.register_at_fork(after_in_child=_forget_after_fork)
