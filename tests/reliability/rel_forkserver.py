"""A fork server for the kill test: real server processes without paying start-up each time.

``python rel_forkserver.py LOG_DIR`` imports the whole server once, listens on a local TCP
port and prints that port. For every connection it forks a child that puts the socket on
its stdin and stdout and runs ``codemyspec_lsp.lsp.main.main`` (the `codemyspec-lsp`
entry point, stdio transport, ``--log-file LOG_DIR/server-<pid>.log``, stderr to
``LOG_DIR/server-<pid>.err``); the parent prints the child's pid, one line per
connection, so the test can SIGKILL exactly that process. Importing pygls and the core
costs about 0.6 s of CPU per process on this machine; a fork costs about 10 ms, which is
what makes hundreds of kills fit in the suite's time budget.
"""

from __future__ import annotations

import os
import signal
import socket
import sys

# Everything a server imports, also lazily on the first command or validation.
import codemyspec_lsp.design.validator
import codemyspec_lsp.lsp.commands
import codemyspec_lsp.lsp.main
import codemyspec_lsp.lsp.setup
import codemyspec_lsp.pgstore
import codemyspec_lsp.session.service
import codemyspec_lsp.store


def serve_child(conn: socket.socket, log_dir: str) -> None:
    pid = os.getpid()
    # Like a pipe: each write goes out at once (Nagle would hold back a frame's body).
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    err = os.open(os.path.join(log_dir, f"server-{pid}.err"), os.O_WRONLY | os.O_CREAT, 0o644)
    os.dup2(conn.fileno(), 0)
    os.dup2(conn.fileno(), 1)
    os.dup2(err, 2)
    conn.close()
    os.close(err)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    code = codemyspec_lsp.lsp.main.main(["--log-file", os.path.join(log_dir, f"server-{pid}.log")])
    os._exit(code)


def main() -> None:
    log_dir = sys.argv[1]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            listener.close()
            serve_child(conn, log_dir)
        conn.close()
        print(pid, flush=True)


if __name__ == "__main__":
    main()
