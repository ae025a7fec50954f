"""The diagnostics across files (architecture.md): CMS130, CMS131, CMS132 for one design.

They depend on the whole graph but sit at positions of the one design, so after an edit
that leaves the graph as it was, only the edited design's are computed again.
"""

from __future__ import annotations

from codemyspec_lsp.architecture.facts import DesignFacts
from codemyspec_lsp.architecture.graph import ContextGraph
from codemyspec_lsp.design.diagnostics import Diagnostic, Severity

UNDESIGNED = "CMS130"
CYCLE = "CMS131"
DEFINED_TWICE = "CMS132"
CROSS_FILE_CODES = (UNDESIGNED, CYCLE, DEFINED_TWICE)
ARROW = " → "


def cross_file_diagnostics(graph: ContextGraph, facts: DesignFacts) -> tuple[Diagnostic, ...]:
    found: list[Diagnostic] = []
    for dep in facts.dependencies:
        if graph.is_undesigned(dep.module):
            found.append(
                Diagnostic(
                    UNDESIGNED,
                    Severity.INFORMATION,
                    dep.range,
                    f"{dep.module} is not designed yet",
                    {"context": dep.module},
                )
            )
            continue
        target = graph.target(dep.module)
        if target is None or not graph.is_context(facts):
            continue
        ring = graph.cycle(facts.module, target)
        if ring is not None:
            found.append(
                Diagnostic(
                    CYCLE,
                    Severity.ERROR,
                    dep.range,
                    f"dependency cycle: {ARROW.join(ring)}",
                    {"cycle": ring},
                )
            )
    for component in facts.components:
        first = graph.definitions.get(component.module, [])
        if len(first) == 1 and first[0].facts is facts:
            continue  # the usual case, checked first: defined here only
        others = [d for d in first if d.named is not None]
        owner = others[0] if others else None
        if owner is None or owner.named is None or owner.facts.relative == facts.relative:
            continue
        found.append(
            Diagnostic(
                DEFINED_TWICE,
                Severity.WARNING,
                component.range,
                f"{component.module} is also defined in {owner.facts.relative}:"
                f"{owner.named.line + 1}",
                {"file": str(owner.facts.relative), "line": owner.named.line},
            )
        )
    found.sort(key=lambda d: (d.range.start.line, d.range.start.character))
    return tuple(found)


def error_count(graph: ContextGraph, facts: DesignFacts) -> int:
    """The design's errors: its own validation's and its cycles'."""
    cycles = sum(
        1
        for dep in facts.dependencies
        if (target := graph.target(dep.module)) is not None
        and graph.cycle(facts.module, target) is not None
    )
    return facts.errors + cycles
