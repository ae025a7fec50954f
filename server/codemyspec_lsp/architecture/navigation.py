"""Navigation across designs (architecture.md): the module under the cursor, where it is
defined, every place that names it, and the edits of a rename (with the design files a
context's rename moves).

Pure functions of the index's facts; positions are the core's (0-based, UTF-16).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from codemyspec_lsp.architecture.facts import DesignFacts, Named, utf16_column
from codemyspec_lsp.architecture.graph import ContextGraph, Definition
from codemyspec_lsp.design.diagnostics import Position, Range
from codemyspec_lsp.workspace.paths import CONTEXT_NAME, MAX_MODULE_LENGTH, design_path


class RenameRefused(ValueError):
    """A rename that cannot be done; the message says why, for the user."""


@dataclass(frozen=True)
class Target:
    """The module a position names: the token written there, cut after the segment under
    the cursor when that prefix is a defined module (``Shop.Cat|alog.Product`` ->
    ``Shop.Catalog``)."""

    module: str
    range: Range  # of ``module`` within the token


def target_at(graph: ContextGraph, facts: DesignFacts, where: Position) -> Target | None:
    for named in facts.mentions:
        if named.line != where.line or not named.range.start <= where <= named.range.end:
            continue
        offset = where.character - named.range.start.character
        parts = named.module.split(".")
        end = 0
        for number, part in enumerate(parts):
            end += len(part) + (1 if number else 0)
            if offset <= end:
                prefix = ".".join(parts[: number + 1])
                chosen = prefix if prefix in graph.definitions else named.module
                start = named.range.start
                return Target(
                    chosen, Range(start, Position(start.line, start.character + len(chosen)))
                )
        return Target(named.module, named.range)
    return None


def definitions(graph: ContextGraph, module: str) -> list[Definition]:
    """Where ``module`` is defined; else where its nearest defined parent is."""
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        found = graph.definitions.get(".".join(parts[:size]))
        if found:
            return found
    return []


def definition_range(definition: Definition) -> Range:
    if definition.named is not None:
        return definition.named.range
    line = definition.facts.title_line
    if line is None:
        return Range.of(0, 0, 0)
    text = definition.facts.lines[line] if line < len(definition.facts.lines) else ""
    return Range.of(line, 0, utf16_column(text, len(text.rstrip())))


def references(
    designs: Iterable[DesignFacts], module: str, *, include_definitions: bool = True
) -> list[tuple[DesignFacts, Named]]:
    """Every place a design names ``module`` exactly, by path and position."""
    found = []
    for facts in sorted(designs, key=lambda f: f.relative):
        headings = {c.line for c in facts.components if c.module == module}
        for named in facts.mentions:
            if named.module != module:
                continue
            if not include_definitions and named.line in headings:
                continue
            found.append((facts, named))
    return found


@dataclass(frozen=True)
class TextChange:
    range: Range
    new_text: str


@dataclass(frozen=True)
class RenamePlan:
    edits: dict[PurePosixPath, list[TextChange]]  # by design file, relative to the root
    moves: list[tuple[PurePosixPath, PurePosixPath]]  # design files to move (old, new)


def check_new_name(old: str, new: str) -> None:
    if new == old:
        raise RenameRefused(f"{new} is already the name")
    if len(new) > MAX_MODULE_LENGTH or not CONTEXT_NAME.match(new):
        raise RenameRefused(
            f"{new!r} is not a module name: capitalised segments of letters, digits and '_' "
            "joined by '.' (like Shop.Products)"
        )
    if "." in old and "." not in new:
        raise RenameRefused(f"{new!r} is not qualified like {old} (for example Shop.Products)")


def plan_rename(
    graph: ContextGraph, design_dir: PurePosixPath, module: str, new: str
) -> RenamePlan:
    """Rename ``module`` and every module under it (``Shop.Catalog.Product`` with
    ``Shop.Catalog``) in every design; move the designs of the contexts renamed."""
    check_new_name(module, new)
    if module not in graph.definitions:
        raise RenameRefused(f"{module} is not a context or component designed in this workspace")
    if new in graph.definitions:
        raise RenameRefused(
            f"{new} is already defined in {graph.definitions[new][0].facts.relative}"
        )
    edits: dict[PurePosixPath, list[TextChange]] = {}
    for facts in graph.designs:
        changes = [
            TextChange(
                Range(
                    named.range.start,
                    Position(named.line, named.range.start.character + len(module)),
                ),
                new,
            )
            for named in facts.mentions
            if named.module == module or named.module.startswith(module + ".")
        ]
        title = _title_change(facts, module, new)
        if title is not None:
            changes.insert(0, title)
        if changes:
            edits[facts.relative] = changes
    moves = []
    taken = {facts.relative for facts in graph.designs}
    for context, facts in sorted(graph.contexts.items()):
        if context != module and not context.startswith(module + "."):
            continue
        target = design_path(new + context[len(module) :], str(design_dir))
        if target == facts.relative:
            continue
        if target in taken:
            raise RenameRefused(
                f"{target} already exists: the design of {context} cannot move there"
            )
        moves.append((facts.relative, target))
    return RenamePlan(edits, moves)


def _title_change(facts: DesignFacts, module: str, new: str) -> TextChange | None:
    """A context's H1 that is its short name follows the rename (`# Catalog` -> `# Products`)."""
    if facts.module != module or facts.title_line is None:
        return None
    old_short, new_short = module.rsplit(".", 1)[-1], new.rsplit(".", 1)[-1]
    line = facts.lines[facts.title_line] if facts.title_line < len(facts.lines) else ""
    stripped = line.rstrip()
    if (
        old_short == new_short
        or not stripped.startswith("#")
        or stripped.lstrip("#").strip() != old_short
    ):
        return None
    start = utf16_column(line, stripped.rindex(old_short))
    if facts.title_line == 0:
        start += facts.shift
    return TextChange(Range.of(facts.title_line, start, start + len(old_short)), new_short)
