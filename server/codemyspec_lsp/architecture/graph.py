"""The context graph: a node per design, an edge per dependency on another designed
context or one of its components (architecture.md).

Built from the designs' facts in one pass; cycles are the strongly connected components
(Tarjan, iterative) and, for each edge inside one, the shortest way back.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from codemyspec_lsp.architecture.facts import DesignFacts, Named
from codemyspec_lsp.architecture.modules import KnownModules


@dataclass(frozen=True)
class Definition:
    """Where a module is defined: a design (the context) or a component heading in one."""

    module: str
    facts: DesignFacts
    named: Named | None  # the component heading; None for the context itself


@dataclass
class ContextGraph:
    known: KnownModules
    designs: tuple[DesignFacts, ...]  # by path
    contexts: dict[str, DesignFacts] = field(default_factory=dict)  # module -> first by path
    # Every defined module -> its definitions, first by path (contexts before components).
    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)  # designed module -> its context
    adjacency: dict[str, list[str]] = field(default_factory=dict)  # context -> contexts
    component_of: dict[str, int] = field(default_factory=dict)  # context -> SCC number
    cyclic: set[str] = field(default_factory=set)  # contexts in an SCC of two or more
    _ways_back: dict[tuple[str, str], list[str] | None] = field(default_factory=dict)

    # -- questions ------------------------------------------------------------------------

    def is_context(self, facts: DesignFacts) -> bool:
        """Whether this design is its module's context (the first file by path)."""
        first = self.contexts.get(facts.module)
        return first is not None and (first is facts or first.relative == facts.relative)

    def target(self, module: str) -> str | None:
        """The context a dependency on ``module`` points at (None: not designed)."""
        return self.owner.get(module)

    def is_undesigned(self, module: str) -> bool:
        return (
            self.known.is_internal(module)
            and module not in self.owner
            and not self.known.is_known(module)
        )

    def edges(self) -> list[tuple[str, str]]:
        return sorted((a, b) for a, targets in self.adjacency.items() for b in set(targets))

    def cycle(self, source: str, target: str) -> list[str] | None:
        """The shortest cycle through the edge ``source -> target``, as
        ``[source, target, ..., source]``; None when the edge is on no cycle."""
        if source == target or self.component_of.get(source) != self.component_of.get(target):
            return None
        key = (target, source)
        if key not in self._ways_back:
            self._ways_back[key] = self._shortest_path(target, source)
        back = self._ways_back[key]
        return None if back is None else [source, *back]

    def cycles(self) -> list[list[str]]:
        """Each distinct cycle found through an edge, rotated to start at its least module."""
        seen: set[tuple[str, ...]] = set()
        for source, target in self.edges():
            found = self.cycle(source, target)
            if found is None:
                continue
            ring = found[:-1]
            start = ring.index(min(ring))
            seen.add(tuple(ring[start:] + ring[:start]))
        return [list(ring) for ring in sorted(seen)]

    def undesigned(self) -> list[tuple[str, str]]:
        """(context, module) of each internal dependency nobody designed or declared."""
        found = {
            (facts.module, dep.module)
            for facts in self.designs
            for dep in facts.dependencies
            if self.is_undesigned(dep.module)
        }
        return sorted(found)

    # -- building -------------------------------------------------------------------------

    def _shortest_path(self, start: str, goal: str) -> list[str] | None:
        scc = self.component_of.get(start)
        previous: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                path = [node]
                while (before := previous[path[-1]]) is not None:
                    path.append(before)
                return path[::-1]
            for nxt in self.adjacency.get(node, ()):
                if nxt not in previous and self.component_of.get(nxt) == scc:
                    previous[nxt] = node
                    queue.append(nxt)
        return None


def build_graph(designs: Iterable[DesignFacts], known: KnownModules) -> ContextGraph:
    ordered = tuple(sorted(designs, key=lambda facts: str(facts.relative)))
    graph = ContextGraph(known, ordered)
    for facts in ordered:
        graph.contexts.setdefault(facts.module, facts)
        graph.definitions.setdefault(facts.module, []).append(Definition(facts.module, facts, None))
    for facts in ordered:
        for component in facts.components:
            defined = graph.definitions.setdefault(component.module, [])
            defined.append(Definition(component.module, facts, component))
    for module, defined in graph.definitions.items():
        graph.owner[module] = defined[0].facts.module
    for module in graph.contexts:
        graph.adjacency[module] = []
    for facts in ordered:
        if not graph.is_context(facts):
            continue  # a second file for the same module: the first one is the context
        targets = graph.adjacency[facts.module]
        for dep in facts.dependencies:
            target = graph.owner.get(dep.module)
            if target is not None and target != facts.module and target not in targets:
                targets.append(target)
    graph.component_of = strongly_connected(graph.adjacency)
    sizes: dict[int, int] = {}
    for number in graph.component_of.values():
        sizes[number] = sizes.get(number, 0) + 1
    graph.cyclic = {m for m, number in graph.component_of.items() if sizes[number] > 1}
    return graph


def strongly_connected(adjacency: dict[str, list[str]]) -> dict[str, int]:
    """Tarjan's algorithm without recursion: node -> component number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = components = 0
    for root in adjacency:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = adjacency.get(node, [])
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = components
                    if member == node:
                        break
                components += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def design_file_of(graph: ContextGraph, module: str) -> PurePosixPath | None:
    facts = graph.contexts.get(module)
    return None if facts is None else facts.relative
