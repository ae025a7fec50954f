"""The whole architecture over stdio, with 1,000 designs (architecture.md, issue 14).

- start-up: spawn -> initialize -> initialized -> `codemyspec/getGraph` answered (it waits
  for the start-up scan to have indexed and validated every design), beside the bare
  `validate_design` of the same files in this process;
- an edit that closes a dependency cycle through 10 designs (and the edit that opens it
  again): from didChange until every affected design's diagnostics are published (the
  edited one for its version, the 9 closed ones from disk), beside an edit of the same
  file that leaves the graph alone (its own validation and publish); goal: median at most
  50 ms above it;
- rename of a context named in 100 designs: rename request -> WorkspaceEdit (edits in 101
  designs and the file move); goal: median under 500 ms.

The designs: 100 chains of 10 contexts (`Shop.G07C3` depends on `Shop.G07C4`), the first
of each chain also on `Shop.Core`. Usage: python bench/architecture_bench.py [--designs
1000] [--edits 20] [--renames 10] [--starts 3]. Prints Markdown tables; exits 1 when a
goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from codemyspec_lsp.design.validator import validate_design
from codemyspec_lsp.workspace.paths import design_path

SERVER = [sys.executable, "-m", "codemyspec_lsp"]
CHAIN = 10
CYCLE_GOAL_MS = 50.0
RENAME_GOAL_MS = 500.0
SECTIONS = (
    "Purpose",
    "Entity Ownership",
    "Access Patterns",
    "Public API",
    "State Management Strategy",
    "Execution Flow",
    "Test Strategies",
    "Test Assertions",
)


def design(module: str, dependencies: list[str]) -> str:
    short = module.rsplit(".", 1)[-1]
    lines = [f"# {short}", ""]
    for title in SECTIONS:
        lines += [f"## {title}", f"The {title.lower()} of {short}, in a sentence or two.", ""]
    lines += ["## Dependencies", *(f"- {dep}: needed" for dep in dependencies or ["None"]), ""]
    lines += ["## Components", "", f"### {module}.Record", "", "| field | value  |"]
    lines += ["| ----- | ------ |", "| type  | schema |", "", f"A record of {short}.", ""]
    return "\n".join(lines)


def module(group: int, link: int) -> str:
    return f"Shop.G{group:02d}C{link}"


def make_workspace(root: Path, designs: int) -> dict[str, Path]:
    (root / ".codemyspec").mkdir(parents=True)
    (root / ".codemyspec" / "config.toml").write_text('[project]\nname = "Shop"\n')
    paths: dict[str, Path] = {}

    def write(name: str, deps: list[str]) -> None:
        path = root / design_path(name, "docs/design")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(design(name, deps), encoding="utf-8")
        paths[name] = path

    write("Shop.Core", [])
    for group in range(max(1, designs // CHAIN)):
        for link in range(CHAIN):
            deps = [module(group, link + 1)] if link + 1 < CHAIN else []
            # The edited design always shows one diagnostic (an undesigned dependency), so
            # each of its versions is published and can be timed.
            deps += ["Shop.Core"] if link == 0 else []
            deps += ["Shop.Missing"] if link == CHAIN - 1 else []
            write(module(group, link), deps)
    return paths


class Probe:
    """A push-only client recording each file's latest diagnostics and when they came."""

    def __init__(self) -> None:
        self.client = LanguageClient("architecture-bench", "1")
        self.latest: dict[str, tuple[int | None, set[str], float]] = {}
        self.changed = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
            codes = {str(d.code) for d in params.diagnostics}
            self.latest[params.uri] = (params.version, codes, time.perf_counter())
            self.changed.set()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(ls: LanguageClient, params: types.LogMessageParams) -> None:
            pass

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(ls: LanguageClient, params: Any) -> None:
            return None

        self.progress: dict[str, float] = {}  # "begin"/"end" of the start-up scan

        @self.client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def create(ls: LanguageClient, params: Any) -> None:
            return None

        @self.client.feature(types.PROGRESS)
        def progress(ls: LanguageClient, params: Any) -> None:
            kind = getattr(params.value, "kind", None) or params.value.get("kind")
            self.progress.setdefault(str(kind), time.perf_counter())

    async def until(self, check: Any, timeout: float = 60) -> float:
        """Wait until `check(latest)` holds; the arrival time of the last publish."""
        deadline = time.perf_counter() + timeout
        while not check(self.latest):
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("diagnostics not seen in time")
            await asyncio.wait_for(self.changed.wait(), remaining)
        return max(t for _, _, t in self.latest.values())


CAPABILITIES = types.ClientCapabilities(
    window=types.WindowClientCapabilities(work_done_progress=True),
    workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(
            document_changes=True,
            resource_operations=[types.ResourceOperationKind.Rename],
        ),
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True
        ),
    ),
)


async def start(root: Path) -> tuple[Probe, float]:
    """A server on the workspace: seconds from spawn to getGraph answered (index built);
    the scan's own time is `probe.progress` end - begin."""
    probe = Probe()
    started = time.perf_counter()
    await probe.client.start_io(*SERVER)
    await probe.client.initialize_async(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        )
    )
    probe.client.initialized(types.InitializedParams())
    await probe.client.protocol.send_request_async("codemyspec/getGraph", {})
    return probe, time.perf_counter() - started


async def stop(probe: Probe) -> None:
    await probe.client.shutdown_async(None)
    probe.client.exit(None)
    await probe.client.stop()


def change(probe: Probe, uri: str, version: int, line: int, text: str) -> None:
    probe.client.text_document_did_change(
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


async def cycle_edits(root: Path, paths: dict[str, Path], edits: int) -> dict[str, list[float]]:
    probe, _ = await start(root)
    group = 42 % max(1, (len(paths) - 1) // CHAIN)
    last = paths[module(group, CHAIN - 1)]
    uri = last.as_uri()
    ring = [paths[module(group, link)].as_uri() for link in range(CHAIN)]
    text = last.read_text(encoding="utf-8")
    lines = text.splitlines()
    purpose = lines.index("## Purpose") + 1
    missing = next(n for n, line in enumerate(lines) if line.startswith("- Shop.Missing"))
    probe.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    await probe.until(lambda seen: seen.get(uri, (0,))[0] == 1)
    own, cycle = [], []
    version = 1
    for k in range(edits):
        # An edit that leaves the graph as it is: the file's own validation and publish.
        version += 1
        sent = time.perf_counter()
        change(probe, uri, version, purpose, f"The purpose, edit {k}.")
        own.append(
            (await probe.until(lambda seen, v=version: seen.get(uri, (0,))[0] == v) - sent) * 1000
        )
        await asyncio.sleep(0.05)
        # Close the cycle (or open it again): every design on it must follow.
        version += 1
        closing = k % 2 == 0
        line = f"- {module(group, 0)}: back to the start" if closing else "- Shop.Missing: needed"
        sent = time.perf_counter()
        change(probe, uri, version, missing, line)
        v = version

        def settled(seen: dict[str, Any], v: int = v, closing: bool = closing) -> bool:
            if seen.get(uri, (0,))[0] != v:
                return False
            return all(("CMS131" in seen.get(u, (0, set()))[1]) == closing for u in ring)

        cycle.append((await probe.until(settled) - sent) * 1000)
        await asyncio.sleep(0.05)
    await stop(probe)
    return {"own": own, "cycle": cycle}


async def renames(root: Path, paths: dict[str, Path], count: int) -> list[float]:
    probe, _ = await start(root)
    core = paths["Shop.Core"]
    uri = core.as_uri()
    text = core.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines()) if row.startswith("### Shop.Core"))
    probe.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    samples = []
    for _ in range(count):
        sent = time.perf_counter()
        edit = await probe.client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line, 10),
                new_name="Shop.Kernel",
            )
        )
        samples.append((time.perf_counter() - sent) * 1000)
        assert edit is not None and edit.document_changes is not None
        # Each design naming Shop.Core, Shop.Core itself, and the move of its file.
        expected = max(1, (len(paths) - 1) // CHAIN) + 2
        assert len(edit.document_changes) == expected, len(edit.document_changes)
        await asyncio.sleep(0.05)
    await stop(probe)
    return samples


def bare_validation(paths: dict[str, Path]) -> float:
    started = time.perf_counter()
    for path in paths.values():
        validate_design(path.read_bytes())
    return time.perf_counter() - started


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def main(designs: int, edits: int, rename_count: int, starts: int) -> int:
    with tempfile.TemporaryDirectory(prefix="codemyspec-arch-bench-") as tmp:
        root = Path(tmp) / "shop"
        paths = make_workspace(root, designs)
        start_ups, scans, bare = [], [], []
        for _ in range(starts):
            bare.append(bare_validation(paths))
            probe, seconds = await start(root)
            start_ups.append(seconds)
            scans.append(probe.progress["end"] - probe.progress["begin"])
            await stop(probe)
        timed = await cycle_edits(root, paths, edits)
        renamed = await renames(root, paths, rename_count)
    own, cycle = statistics.median(timed["own"]), statistics.median(timed["cycle"])
    rename_median = statistics.median(renamed)
    startup = statistics.median(start_ups)
    scan = statistics.median(scans)
    floor = statistics.median(bare)
    print(f"## The architecture over LSP: {len(paths)} designs\n")
    print("| figure | median | p95 | floor | goal | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(
        f"| start-up index: the scan reading, validating and indexing {len(paths)} designs "
        f"($/progress begin -> end) | {scan:.2f} s | {max(scans):.2f} s | bare "
        f"validate_design of the same files in one process: {floor:.2f} s "
        f"(ratio {scan / floor:.2f}) | none | |"
    )
    print(
        f"| start-up: spawn -> index built (getGraph answered) | {startup:.2f} s "
        f"| {max(start_ups):.2f} s | | none | |"
    )
    print(
        f"| edit of one design that leaves the graph alone: didChange -> its diagnostics "
        f"| {own:.1f} ms | {p95(timed['own']):.1f} ms | | | |"
    )
    met_cycle = cycle - own <= CYCLE_GOAL_MS
    print(
        f"| edit that closes or opens a cycle of {CHAIN}: didChange -> every affected "
        f"design's diagnostics | {cycle:.1f} ms | {p95(timed['cycle']):.1f} ms | the edit "
        f"above: {own:.1f} ms (+{cycle - own:.1f} ms) | median <= own + {CYCLE_GOAL_MS:.0f} "
        f"ms | {'yes' if met_cycle else '**no**'} |"
    )
    met_rename = rename_median < RENAME_GOAL_MS
    print(
        f"| rename of a context named in {max(1, (len(paths) - 1) // CHAIN)} designs: "
        f"request -> WorkspaceEdit | {rename_median:.1f} ms | {p95(renamed):.1f} ms "
        f"| none | median < "
        f"{RENAME_GOAL_MS:.0f} ms | {'yes' if met_rename else '**no**'} |"
    )
    print(
        f"\n{edits} graph-neutral edits and {edits} cycle edits (closing and opening "
        f"alternately), {rename_count} renames, {starts} start-ups; push-only client."
    )
    return 0 if met_cycle and met_rename else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--designs", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--renames", type=int, default=10)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.designs, args.edits, args.renames, args.starts)))
