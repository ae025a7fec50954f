"""One design as the context graph sees it, taken from its validation report.

The per-file validation already parsed the text; nothing here parses it again. Where
module names occur in the prose (for references and rename) is found on first use only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from codemyspec_lsp.design.diagnostics import Position, Range, Severity

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationReport

# A module name as it appears in prose: capitalised segments joined by dots, not glued to
# a word or a path before it (`Shop.Catalog`, `Shop.Catalog.Product`, `ShopWeb.Live`).
MODULE_TOKEN = re.compile(r"(?<![A-Za-z0-9_.])[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*")


def utf16_column(text: str, index: int) -> int:
    """The UTF-16 column of ``text[index]`` (LSP's default position encoding)."""
    prefix = text[:index]
    if prefix.isascii():
        return index
    return index + sum(1 for c in prefix if ord(c) > 0xFFFF)


@dataclass(frozen=True)
class Named:
    """A module name written somewhere in a design: what, on which line, where exactly."""

    module: str
    line: int
    range: Range


@dataclass(frozen=True)
class DesignFacts:
    relative: PurePosixPath  # the design file, relative to the workspace root
    module: str  # from the path: docs/design/shop/orders.md -> Shop.Orders
    title: str
    purpose: str
    public_api: str
    components: tuple[Named, ...]  # each H3 under Components, the range its heading
    dependencies: tuple[Named, ...]  # each Dependencies item, the range the item
    errors: int  # error diagnostics of the file's own validation
    version: int | None  # the editor buffer's version, None when read from disk
    lines: tuple[str, ...] = ()
    shift: int = 0  # UTF-16 units before line 0's text (a stripped BOM)
    title_line: int | None = None

    @property
    def signature(self) -> tuple[object, ...]:
        """What other designs' diagnostics depend on (with the lines of components
        defined twice, see `DesignIndex.put`): an edit that keeps it needs no cross-file
        pass beyond the edited file."""
        return (
            self.module,
            tuple(dep.module for dep in self.dependencies),
            tuple(c.module for c in self.components),
        )

    def defines(self) -> set[str]:
        """The modules this design defines: its context and its components."""
        return {self.module, *(c.module for c in self.components)}

    @property
    def parsed(self) -> bool:
        """False for a file that could not be read as a design (not UTF-8, too large)."""
        return bool(self.lines)

    @functools.cached_property
    def mentions(self) -> tuple[Named, ...]:
        """Every module name written anywhere in the design, in reading order."""
        found = []
        for number, line in enumerate(self.lines):
            if "." not in line and not line.lstrip().startswith("#"):
                continue  # prose without a qualified name: the common case, skipped fast
            for match in MODULE_TOKEN.finditer(line):
                if "." not in match.group() and not self._is_heading_name(number):
                    continue  # a bare capitalised word is prose, not a module
                start = utf16_column(line, match.start()) + (self.shift if number == 0 else 0)
                end = start + utf16_column(match.group(), len(match.group()))
                found.append(Named(match.group(), number, Range.of(number, start, end)))
        return tuple(found)

    def _is_heading_name(self, line: int) -> bool:
        return any(c.line == line for c in self.components)


def facts_from_report(
    relative: PurePosixPath, module: str, report: ValidationReport, version: int | None
) -> DesignFacts:
    """The graph's view of a validated design (a design that did not decode has no
    components and no dependencies, yet is still a context)."""
    errors = sum(1 for d in report.diagnostics if d.severity == Severity.ERROR)
    design, source = report.design, report.source_map
    if design is None or source is None:
        short = module.rsplit(".", 1)[-1]
        return DesignFacts(relative, module, short, "", "", (), (), errors, version)
    components = tuple(
        Named(c.module_name, c.heading_line, c.heading) for c in source.components if c.module_name
    )
    dependencies = tuple(Named(d.module, d.line, d.range) for d in source.dependencies if d.module)
    return DesignFacts(
        relative=relative,
        module=module,
        title=design.title or module.rsplit(".", 1)[-1],
        purpose=" ".join((design.purpose or "").split()),
        public_api=design.public_api or "",
        components=components,
        dependencies=dependencies,
        errors=errors,
        version=version,
        lines=source.index.lines,
        shift=source.index.shift,
        title_line=source.title_lines[0] if source.title_lines else None,
    )


def name_at(facts: DesignFacts, where: Position) -> Named | None:
    """The module name under the cursor, if any (its end counts, as editors expect)."""
    for named in facts.mentions:
        if named.line == where.line and named.range.start <= where <= named.range.end:
            return named
    return None
