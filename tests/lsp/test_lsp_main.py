"""The executable: flags, the log file, TCP."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

from lsp_harness import PATIENCE, SERVER, eventually, make_workspace
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pytest_lsp import client_capabilities

from codemyspec_lsp import __version__, protocol


def test_version_and_help_answer_without_serving():
    done = subprocess.run([*SERVER, "--version"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, f"codemyspec-lsp {__version__}")
    done = subprocess.run([*SERVER, "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for flag in ("--tcp", "--host", "--port", "--log-file", "--log-level"):
        assert flag in done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_tcp_transport_and_the_log_file(tmp_path: Path):
    root = make_workspace(tmp_path / "shop")
    log_file = tmp_path / "server.log"
    port = free_port()
    server = subprocess.Popen(
        [*SERVER, "--tcp", "--port", str(port), "--log-file", str(log_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    client = LanguageClient("tcp-test", "1")
    try:
        deadline = asyncio.get_running_loop().time() + PATIENCE.seconds
        while True:  # until the server listens (it says nothing when it does)
            try:
                await client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                assert server.poll() is None, "the server exited instead of listening"
                assert asyncio.get_running_loop().time() < deadline, "the server never listened"
                await asyncio.sleep(0.1)
        result = await client.initialize_async(
            types.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="shop")],
            )
        )
        assert protocol.START_SESSION in result.capabilities.execute_command_provider.commands
        client.initialized(types.InitializedParams())
        listed = await client.protocol.send_request_async(protocol.LIST_SESSIONS, {})
        assert listed.sessions == []
        await eventually(lambda: log_file.exists() and "validated" in log_file.read_text())
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
        server.terminate()
        out, _ = server.communicate(timeout=PATIENCE.seconds)
    assert out == b""  # nothing but the wire ever goes to stdout, and TCP has none


def test_the_console_script_is_the_same_server():
    script = Path(sys.executable).with_name("codemyspec-lsp")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == f"codemyspec-lsp {__version__}"
