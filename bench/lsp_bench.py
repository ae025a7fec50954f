"""Language server latency over stdio, as an editor feels it.

- didChange -> publishDiagnostics (for that version) on a 500- and a 5,000-line design:
  median and 95th percentile over 50 single-line edits;
- a burst of 50 edits within one second: time from the last edit to the diagnostics of
  the last version, and how many validations the server ran for the burst;
- process start -> initialize result, beside a bare pygls server registering nothing;
- initialized -> the first `codemyspec/startSession` answered on a fresh process, sent at
  once and sent one second after `initialized` (the latency of that request), beside the
  second startSession's latency (a warm server): a regression of the first command shows;
- the floor of the edit figures: a bare markdown-it-py parse of the whole document, in
  this process (median of 20), which is what validating the whole text on every edit
  would cost at least. The server re-parses only the part an edit touched.

The machine's load average is printed with the figures: on a shared machine compare
runs only at a similar load.

Usage: python bench/lsp_bench.py [--edits 50] [--starts 10] [--firsts 10]. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

SERVER = [sys.executable, "-m", "codemyspec_lsp"]
BARE = [
    sys.executable,
    "-c",
    "from pygls.lsp.server import LanguageServer; LanguageServer('bare', '0').start_io()",
]
GOALS = {"500": 20.0, "5000": 30.0, "burst500": 100.0, "burst5000": 50.0, "startup": 1.5}
BARE_PARSES = 20
CONFIG = '[project]\nname = "Shop"\n[environment]\nsetup = "none"\n'
START_SESSION = "codemyspec/startSession"

HEAD = """# Accounts

## Purpose
Owns customer accounts and their credentials.

## Entity Ownership
- Account records

## Access Patterns
- By id

## Public API
- `get(id)`

## State Management Strategy
Database rows.

## Execution Flow
1. Read.

## Dependencies
- Shop.Repo

## Test Strategies
Unit tests.

## Test Assertions
- `get` returns the account

## Components
"""

COMPONENT = """
### Shop.Accounts.Part{n}

| field | value  |
| ----- | ------ |
| type  | schema |

Part {n} of the account.
"""


def design(lines: int) -> str:
    """A valid design of about `lines` lines: the sections, then components."""
    text, n = HEAD, 0
    while text.count("\n") < lines:
        n += 1
        text += COMPONENT.format(n=n)
    return text


def type_rows(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines()) if line.startswith("| type")]


class Probe:
    """A pygls client recording when each version's diagnostics arrive."""

    def __init__(self) -> None:
        self.client = LanguageClient("lsp-bench", "1")
        self.arrived: dict[int, float] = {}
        self.waiters: dict[int, asyncio.Future[float]] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
            now = time.perf_counter()
            if params.version is None:
                return
            self.arrived[params.version] = now
            waiter = self.waiters.pop(params.version, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(now)

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(ls: LanguageClient, params: types.LogMessageParams) -> None:
            pass  # the server's own log: counted from its log file instead

    def expect(self, version: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if version in self.arrived:
            future.set_result(self.arrived[version])
        else:
            self.waiters[version] = future
        return future


async def start(command: list[str], root: Path) -> tuple[LanguageClient, float]:
    """Spawn, initialise; seconds from spawn to the initialize result."""
    client = LanguageClient("lsp-bench", "1")
    started = time.perf_counter()
    await client.start_io(*command)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        )
    )
    return client, time.perf_counter() - started


async def stop(client: LanguageClient) -> None:
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def edit(client: LanguageClient, uri: str, version: int, line: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(line, 0), types.Position(line + 1, 0)),
                    text=text + "\n",
                )
            ],
        )
    )


def broken_row(k: int) -> str:
    # Always one invalid type, so every version publishes something to wait for.
    return f"| type  | schema{k} |"


async def edit_latencies(root: Path, lines: int, edits: int, log: Path) -> dict[str, float]:
    path = root / "docs" / "design" / "shop" / f"big_{lines}.md"
    text = design(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    rows = type_rows(text)
    probe = Probe()
    await probe.client.start_io(*SERVER, "--log-file", str(log), "--log-level", "DEBUG")
    await probe.client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        )
    )
    probe.client.initialized(types.InitializedParams())
    uri = path.as_uri()
    probe.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    # Break one row first and wait: from now on every version has a diagnostic.
    edit(probe.client, uri, 2, rows[0], broken_row(0))
    await asyncio.wait_for(probe.expect(2), 30)

    samples = []
    version = 2
    cpu_before = server_cpu_seconds(probe.client)
    for k in range(edits):
        version += 1
        sent = time.perf_counter()
        edit(probe.client, uri, version, rows[k % len(rows)], broken_row(k + 1))
        samples.append((await asyncio.wait_for(probe.expect(version), 30) - sent) * 1000)
        await asyncio.sleep(0.02)
    cpu_per_edit = (server_cpu_seconds(probe.client) - cpu_before) * 1000 / edits

    # The burst: 50 edits within one second, then wait for the last version.
    before = validations(log)
    last_sent = 0.0
    for k in range(edits):
        version += 1
        edit(probe.client, uri, version, rows[(k + 7) % len(rows)], broken_row(1000 + k))
        last_sent = time.perf_counter()
        await asyncio.sleep(1.0 / edits)
    settle = (await asyncio.wait_for(probe.expect(version), 30) - last_sent) * 1000
    await asyncio.sleep(0.3)  # let any superseded validation finish and be logged
    ran = validations(log) - before
    await stop(probe.client)
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)],
        "burst_settle": settle,
        "burst_validations": ran,
        "cpu_per_edit": cpu_per_edit,
    }


def server_cpu_seconds(client: LanguageClient) -> float:
    """CPU time (user + system) the server process has used so far; NaN where unknown.

    Unlike latency, it hardly moves with the machine's load: the figure to compare runs
    on a shared machine by."""
    process = getattr(client, "_server", None)  # pygls keeps the spawned process there
    try:
        stat = Path(f"/proc/{process.pid}/stat").read_text()  # type: ignore[union-attr]
    except (AttributeError, OSError):
        return math.nan
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def validations(log: Path) -> int:
    if not log.exists():
        return 0
    return log.read_text(encoding="utf-8", errors="replace").count("validation ran")


async def startups(root: Path, runs: int) -> tuple[float, float]:
    """Median start-up of ours and of the bare server, runs interleaved so that a change
    in the machine's load hits both alike."""
    ours, bare = [], []
    for _ in range(runs):
        for command, times in ((SERVER, ours), (BARE, bare)):
            client, seconds = await start(command, root)
            times.append(seconds * 1000)
            await stop(client)
    return statistics.median(ours), statistics.median(bare)


def bare_parse_ms(lines: int) -> float:
    """Median time of a bare markdown-it-py parse of the whole design (the floor)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    text = design(lines)
    times = []
    for _ in range(BARE_PARSES):
        started = time.perf_counter()
        parser.parse(text)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def first_commands(base: Path, runs: int) -> dict[str, float]:
    """Medians (ms) over `runs` fresh processes each: the first startSession sent at once
    after `initialized` (counted from `initialized`), sent one second later (counted from
    the request), and the second startSession (counted from its request). Each process
    gets a fresh workspace, as a user opening a folder does."""
    at_once: list[float] = []
    waited: list[float] = []
    second: list[float] = []
    for n in range(runs):
        for wait, firsts in ((0.0, at_once), (1.0, waited)):
            root = base / f"first-{n}-{int(wait)}"
            (root / ".codemyspec").mkdir(parents=True)
            (root / ".codemyspec" / "config.toml").write_text(CONFIG, encoding="utf-8")
            client, _ = await start(SERVER, root)
            client.initialized(types.InitializedParams())
            began = time.perf_counter()
            if wait:
                await asyncio.sleep(wait)
                began = time.perf_counter()
            await client.protocol.send_request_async(START_SESSION, {"context": "Orders"})
            firsts.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            await client.protocol.send_request_async(START_SESSION, {"context": "Billing"})
            second.append((time.perf_counter() - began) * 1000)
            await stop(client)
    return {
        "at_once": statistics.median(at_once),
        "waited": statistics.median(waited),
        "second": statistics.median(second),
    }


async def main(edits: int, starts: int, firsts: int) -> None:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "shop"
        (root / ".codemyspec").mkdir(parents=True)
        (root / ".codemyspec" / "config.toml").write_text(CONFIG, encoding="utf-8")
        small = await edit_latencies(root, 500, edits, Path(tmp) / "small.log")
        large = await edit_latencies(root, 5000, edits, Path(tmp) / "large.log")
        ours, bare = await startups(root, starts)
        first = await first_commands(Path(tmp), firsts)
    parse_small, parse_large = bare_parse_ms(500), bare_parse_ms(5000)
    load_after = os.getloadavg()[0]

    def ok(passed: bool) -> str:
        return "yes" if passed else "**no**"

    rows = [
        (
            "didChange -> diagnostics, 500 lines, median",
            small["median"],
            "<= 20 ms",
            small["median"] <= GOALS["500"],
        ),
        ("didChange -> diagnostics, 500 lines, p95", small["p95"], "", True),
        (
            "didChange -> diagnostics, 5,000 lines, median",
            large["median"],
            "<= 30 ms",
            large["median"] <= GOALS["5000"],
        ),
        ("didChange -> diagnostics, 5,000 lines, p95", large["p95"], "", True),
        ("server CPU per one-line edit, 500 lines", small["cpu_per_edit"], "", True),
        ("server CPU per one-line edit, 5,000 lines", large["cpu_per_edit"], "", True),
        (
            "burst of 50 edits in 1 s (500 lines): last edit -> final diagnostics",
            small["burst_settle"],
            "<= 100 ms",
            small["burst_settle"] <= GOALS["burst500"],
        ),
        (
            "burst of 50 edits in 1 s (5,000 lines): last edit -> final diagnostics",
            large["burst_settle"],
            "<= 50 ms",
            large["burst_settle"] <= GOALS["burst5000"],
        ),
        (
            "start -> initialize result, codemyspec-lsp",
            ours,
            f"<= {1.5 * bare:.0f} ms",
            ours <= GOALS["startup"] * bare,
        ),
        ("start -> initialize result, bare pygls server", bare, "", True),
        ("bare markdown-it-py parse of the whole document, 500 lines", parse_small, "", True),
        ("bare markdown-it-py parse of the whole document, 5,000 lines", parse_large, "", True),
        (
            "initialized -> first startSession answered, sent at once (fresh process)",
            first["at_once"],
            "",
            True,
        ),
        (
            "first startSession sent 1 s after initialized -> answered (fresh process)",
            first["waited"],
            "",
            True,
        ),
        ("second startSession -> answered (warm server)", first["second"], "", True),
    ]
    print(
        f"| measure ({edits} edits, {starts} starts, {firsts} first commands each way) "
        "| ms | goal | met |"
    )
    print("| --- | ---: | --- | --- |")
    for name, value, goal, passed in rows:
        print(f"| {name} | {value:.1f} | {goal} | {ok(passed) if goal else ''} |")
    print(
        f"\nValidations run for the 50-edit bursts: {small['burst_validations']} (500 lines), "
        f"{large['burst_validations']} (5,000 lines)."
    )
    print(
        f"didChange -> diagnostics against a bare parse of the whole document (median): "
        f"{small['median'] / parse_small:.2f}x (500 lines), "
        f"{large['median'] / parse_large:.2f}x (5,000 lines)."
    )
    print(
        f"Load average (1 minute) {load_before:.1f} at the start, {load_after:.1f} at the end "
        f"({os.cpu_count()} cores)."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--firsts", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.edits, args.starts, args.firsts))
