"""All designs of one workspace, kept as facts, re-reading only the files that changed.

The caller decides where a design's text comes from (the editor's buffer or the disk)
and hands over the validation report it made anyway; the index never validates a file
the caller has already validated. Reading from disk (`read`, `changed_on_disk`) does the
I/O and may run on any thread; `put` and `remove` belong to one thread (the server's
loop), which also owns the cached graph.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from codemyspec_lsp.architecture.facts import DesignFacts, facts_from_report
from codemyspec_lsp.architecture.graph import ContextGraph, build_graph
from codemyspec_lsp.architecture.modules import KnownModules
from codemyspec_lsp.design.validator import ValidationOptions, ValidationReport, validate_design
from codemyspec_lsp.workspace.paths import design_files, module_for_design, resolves_inside

if TYPE_CHECKING:
    from codemyspec_lsp.workspace.config import WorkspaceConfig

log = logging.getLogger(__name__)

Stamp = tuple[int, int]  # (mtime_ns, size) of a file read from disk
Describer = Callable[[ValidationReport], DesignFacts | None]


def _not_a_design(report: ValidationReport) -> None:
    return None  # a file outside any context's module path: no facts


def stamp_of(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


@dataclass(frozen=True)
class DiskRead:
    """A design read from disk: its report (for its own diagnostics) and its facts."""

    path: Path
    stamp: Stamp
    report: ValidationReport
    facts: DesignFacts


class DesignIndex:
    def __init__(
        self, root: Path, design_dir: Path, known: KnownModules, options: ValidationOptions
    ) -> None:
        self.root = root
        self.design_dir = design_dir  # absolute
        self.known = known
        self.options = options
        self._facts: dict[Path, DesignFacts] = {}
        self._stamps: dict[Path, Stamp] = {}  # files whose facts came from disk
        self._graph: ContextGraph | None = None
        # What changed since the last `affected()`: modules defined before or after, and
        # the contexts that were on a cycle. None: everything (nothing checked yet).
        self._touched: set[str] | None = None
        self._was_cyclic: set[str] = set()

    # -- which files ------------------------------------------------------------------------

    def module_of(self, path: Path) -> str | None:
        """The context module of a design file; None for a file outside the design dir."""
        if path.suffix.lower() != ".md" or not path.is_relative_to(self.design_dir):
            return None
        return module_for_design(PurePosixPath(path.relative_to(self.design_dir).as_posix()))

    def relative(self, path: Path) -> PurePosixPath:
        return PurePosixPath(path.relative_to(self.root).as_posix())

    def design_files(self) -> list[Path]:
        """Every readable Markdown file under the design directory (disk I/O)."""
        return design_files(self.root, self.design_dir)

    # -- reading ----------------------------------------------------------------------------

    def facts_of(
        self, path: Path, report: ValidationReport, version: int | None
    ) -> DesignFacts | None:
        return self.describer(path, version)(report)

    def describer(self, path: Path, version: int | None) -> Describer:
        """What turns the file's validation report into its facts: a pure function, so the
        validation thread can run it beside the validation instead of the event loop."""
        module = self.module_of(path)
        if module is None:
            return _not_a_design
        return functools.partial(facts_from_report, self.relative(path), module, version=version)

    def read(self, path: Path, options: ValidationOptions | None = None) -> DiskRead | None:
        """Read and validate a design from disk (any thread); None if it cannot be read."""
        stamp = stamp_of(path)
        if stamp is None or not resolves_inside(self.root, path):
            return None
        try:
            with path.open("rb") as file:
                data = file.read((options or self.options).max_file_bytes + 1)
        except OSError as exc:
            log.warning("skipping design %s: cannot be read (%s)", path, exc)
            return None
        report = validate_design(data, options or self.options)
        facts = self.facts_of(path, report, None)
        return None if facts is None else DiskRead(path, stamp, report, facts)

    def changed_on_disk(
        self, stamps: dict[Path, Stamp], buffers: set[Path]
    ) -> tuple[list[Path], list[Path]]:
        """(changed or new, gone) design files compared with ``stamps`` (disk I/O).

        Files held in ``buffers`` (open in the editor) are left to the editor."""
        present = self.design_files()
        changed = [p for p in present if p not in buffers and stamps.get(p) != stamp_of(p)]
        listed = set(present)
        gone = [p for p in stamps if p not in listed and p not in buffers]
        return changed, gone

    # -- the loop's side ----------------------------------------------------------------------

    def put(self, facts: DesignFacts, path: Path, stamp: Stamp | None = None) -> bool:
        """Store a design's facts; True when other designs' diagnostics may change."""
        old = self._facts.get(path)
        self._facts[path] = facts
        if stamp is None:
            self._stamps.pop(path, None)
        else:
            self._stamps[path] = stamp
        moved = (
            old is None
            or old.signature != facts.signature
            or self._shared_lines(old) != self._shared_lines(facts)
        )
        if moved:
            self._changed(old, facts)
        if self._graph is not None:
            self._graph.replace(old, facts)
        return moved

    def _shared_lines(self, facts: DesignFacts) -> list[tuple[str, int]]:
        """Lines of the components also defined elsewhere: CMS132 messages name them."""
        if self._graph is None:
            return []
        definitions = self._graph.definitions
        return [
            (c.module, c.line)
            for c in facts.components
            if len(found := definitions.get(c.module, ())) > 1  # most are defined once
            and sum(1 for d in found if d.named is not None) > 1
        ]

    def remove(self, path: Path) -> bool:
        self._stamps.pop(path, None)
        old = self._facts.pop(path, None)
        if old is None:
            return False
        self._changed(old, None)
        if self._graph is not None:
            self._graph.replace(old, None)
        return True

    def _changed(self, old: DesignFacts | None, new: DesignFacts | None) -> None:
        """Remember what the next `affected()` must cover (before the graph follows)."""
        if self._touched is not None:
            for facts in (old, new):
                if facts is not None:
                    self._touched |= facts.defines()
        if self._graph is not None:
            self._was_cyclic |= self._graph.cyclic

    def affected(self) -> list[tuple[Path, DesignFacts]]:
        """The designs whose diagnostics across files may have changed since the last call:
        those defining or naming a module defined before or after, and those on a cycle
        before or after (all of them the first time)."""
        graph = self.graph()
        touched, self._touched = self._touched, set()
        cyclic, self._was_cyclic = self._was_cyclic | graph.cyclic, set()
        if touched is None:
            return list(self._facts.items())
        return [
            (path, facts)
            for path, facts in self._facts.items()
            if facts.module in cyclic
            or facts.module in touched
            or any(dep.module in touched for dep in facts.dependencies)
            or any(c.module in touched for c in facts.components)
        ]

    def get(self, path: Path) -> DesignFacts | None:
        return self._facts.get(path)

    def __iter__(self) -> Iterator[tuple[Path, DesignFacts]]:
        return iter(list(self._facts.items()))

    def __len__(self) -> int:
        return len(self._facts)

    def stamps(self) -> dict[Path, Stamp]:
        return dict(self._stamps)

    def graph(self, *, fresh: bool = False) -> ContextGraph:
        """The context graph, kept current design by design; ``fresh`` builds it anew."""
        if self._graph is None or fresh:
            self._graph = build_graph(self._facts.values(), self.known)
        return self._graph

    # -- all at once (the CLI) ------------------------------------------------------------------

    def load(self, limit: int | None = None) -> dict[Path, ValidationReport]:
        """Read every design from disk (the first ``limit``); their reports, by path."""
        reports = {}
        for path in self.design_files()[:limit]:
            read = self.read(path)
            if read is not None:
                self.put(read.facts, path, read.stamp)
                reports[path] = read.report
        return reports


def workspace_index(root: Path, config: WorkspaceConfig) -> DesignIndex:
    """An empty index of the workspace at ``root`` with its configuration."""
    root = root.resolve()
    return DesignIndex(
        root,
        (root / config.design.dir).resolve(),
        config.known_modules(),
        config.validation_options(),
    )
