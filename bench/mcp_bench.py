"""validate_design over MCP (codemyspec-mcp, stdio) against the bare validation of the same design.

Usage: python bench/mcp_bench.py [--calls N] [--starts N]

A workspace with one generated design of about 500 lines (validate_bench's generator). One
MCP client session (the SDK's stdio client, as an agent's) calls ``validate_design`` with
the file's path, and with its text, N times each; between calls the bare
``validate_design`` of the validator runs in this process on the same bytes, so load from
other processes hits both sides alike. Wall-clock medians and p95, and the goal: the MCP
round trip within 2x the bare validation plus 5 ms. Also the server's start-up (spawn ->
initialize answered), without a goal. Exits 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from codemyspec_lsp.design.validator import validate_design
from codemyspec_lsp.mcp_server.launch import mcp_server_argv
from codemyspec_lsp.workspace.config import load_config
from validate_bench import generate

FACTOR = 2.0
SLACK_MS = 5.0
DESIGN = "docs/design/shop/catalog.md"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def make_workspace(root: Path) -> tuple[Path, int]:
    (root / ".codemyspec").mkdir(parents=True)
    (root / ".codemyspec" / "config.toml").write_text('[project]\nname = "Shop"\n')
    path = root / DESIGN
    path.parent.mkdir(parents=True)
    text = generate(500)
    path.write_text(text, encoding="utf-8")
    return path, len(text.splitlines())


def params(root: Path) -> StdioServerParameters:
    command, *args = mcp_server_argv(root)
    return StdioServerParameters(command=command, args=args, cwd=root)


async def start_ups(root: Path, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        async with stdio_client(params(root)) as (r, w), ClientSession(r, w) as session:
            await session.initialize()
            times.append((time.perf_counter() - started) * 1000)
    return times


async def round_trips(root: Path, path: Path, calls: int) -> dict[str, list[float]]:
    data = path.read_bytes()
    options = load_config(root)[0].validation_options()
    text = data.decode("utf-8")
    samples: dict[str, list[float]] = {"path": [], "text": [], "bare": []}
    async with stdio_client(params(root)) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        for _ in range(3):  # imports and caches on both sides
            await session.call_tool("validate_design", {"path": DESIGN})
            validate_design(data, options)
        for _ in range(calls):
            for kind, arguments in (("path", {"path": DESIGN}), ("text", {"text": text})):
                started = time.perf_counter()
                result = await session.call_tool("validate_design", arguments)
                samples[kind].append((time.perf_counter() - started) * 1000)
                assert not result.is_error, result.content
                started = time.perf_counter()
                validate_design(data, options)
                samples["bare"].append((time.perf_counter() - started) * 1000)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path, lines = make_workspace(root)
        samples = anyio.run(round_trips, root, path, args.calls)
        starts = anyio.run(start_ups, root, args.starts)
    bare = statistics.median(samples["bare"])
    goal = FACTOR * bare + SLACK_MS
    print("| measure | MCP round trip, median | p95 | bare validation, median | goal | met |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    met_all = True
    for kind, label in (("path", "{path}"), ("text", "{text}")):
        median = statistics.median(samples[kind])
        met = median <= goal
        met_all = met_all and met
        print(
            f"| validate_design {label} over MCP, {lines} lines | {median:.1f} ms | "
            f"{p95(samples[kind]):.1f} ms | {bare:.1f} ms | <= 2x bare + 5 ms "
            f"({goal:.1f} ms) | {'yes' if met else '**no**'} |"
        )
    print(
        f"\nstart -> initialize answered, codemyspec-mcp: median "
        f"{statistics.median(starts):.0f} ms over {len(starts)} starts (no goal)."
    )
    print(
        f"\n{args.calls} calls of each kind in one session, the bare validation between "
        "calls in the benchmark's process; wall-clock times."
    )
    return 0 if met_all else 1


if __name__ == "__main__":
    sys.exit(main())
