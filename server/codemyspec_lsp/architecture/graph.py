"""The context graph: a node per design, an edge per dependency on another designed
context or one of its components (architecture.md).

Built once from every design's facts, then kept current one design at a time
(`replace`): only the definitions of the modules that design defines, the edges of the
contexts whose dependencies those modules resolve, and the strongly connected components
that can have changed (the nodes both reachable from and reaching the changed contexts,
and the old cycle of each) are computed again. For each edge inside a component, the
shortest way back is the cycle a diagnostic names.
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from codemyspec_lsp.architecture.facts import DesignFacts, Named
from codemyspec_lsp.architecture.modules import KnownModules
from codemyspec_lsp.architecture.scc import strongly_connected


class _Slot:
    """A design file's current facts, shared by all its definitions: an edit that keeps
    the design's modules swaps the facts here once (`ContextGraph._swap`) instead of
    rebuilding a definition per component."""

    __slots__ = ("facts",)

    def __init__(self, facts: DesignFacts) -> None:
        self.facts = facts


@dataclass(frozen=True)
class Definition:
    """Where a module is defined: a design (the context) or a component heading in one."""

    module: str
    slot: _Slot
    index: int | None  # which of the design's components; None for the context itself

    @property
    def facts(self) -> DesignFacts:
        return self.slot.facts

    @property
    def named(self) -> Named | None:
        """The component heading; None for the context itself."""
        return None if self.index is None else self.slot.facts.components[self.index]

    @property
    def order(self) -> tuple[int, str, int]:
        """Contexts before components, then by path and line: the first one owns it."""
        named = self.named
        line = -1 if named is None else named.line
        return (0 if named is None else 1, str(self.facts.relative), line)


@dataclass
class ContextGraph:
    known: KnownModules
    by_path: dict[str, DesignFacts] = field(default_factory=dict)
    contexts: dict[str, DesignFacts] = field(default_factory=dict)  # module -> first by path
    # Every defined module -> its definitions, first by path (contexts before components).
    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)  # designed module -> its context
    adjacency: dict[str, list[str]] = field(default_factory=dict)  # context -> contexts
    reverse: dict[str, set[str]] = field(default_factory=dict)  # context -> its dependents
    named_by: dict[str, set[str]] = field(default_factory=dict)  # module -> contexts naming it
    names_of: dict[str, set[str]] = field(default_factory=dict)  # context -> modules it names
    component_of: dict[str, int] = field(default_factory=dict)  # context -> SCC number
    cyclic: set[str] = field(default_factory=set)  # contexts in an SCC of two or more
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    _ways_back: dict[tuple[str, str], list[str] | None] = field(default_factory=dict)
    _slots: dict[str, _Slot] = field(default_factory=dict)  # by path, as `by_path`

    # -- questions ------------------------------------------------------------------------

    @property
    def designs(self) -> list[DesignFacts]:
        """Every design, by path."""
        return [self.by_path[key] for key in sorted(self.by_path)]

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
        return sorted((a, b) for a, targets in self.adjacency.items() for b in targets)

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
            for facts in self.by_path.values()
            for dep in facts.dependencies
            if self.is_undesigned(dep.module)
        }
        return sorted(found)

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

    # -- keeping it current -----------------------------------------------------------------

    def replace(self, old: DesignFacts | None, new: DesignFacts | None) -> None:
        """One design changed (``old`` -> ``new``, either None when it came or went)."""
        self._ways_back.clear()
        if old is not None and new is not None and old.signature == new.signature:
            self._swap(old, new)  # same modules, new positions: no edge can change
            return
        modules: set[str] = set()
        for facts, adding in ((old, False), (new, True)):
            if facts is not None:
                modules |= self._define(facts, adding=adding)
        changed_owner = {m for m in modules if self._settle_owner(m)}
        sources = {facts.module for facts in (old, new) if facts is not None}
        for module in changed_owner:
            sources |= self.named_by.get(module, set())
        for source in sources:
            self._link(source)
        self._recompute_components(sources)

    def _swap(self, old: DesignFacts, new: DesignFacts) -> None:
        self.by_path[str(new.relative)] = new
        if self.contexts.get(new.module) is old:
            self.contexts[new.module] = new
        # Same modules in the same order: each definition's component index still holds.
        self._slots[str(new.relative)].facts = new

    def _define(self, facts: DesignFacts, *, adding: bool) -> set[str]:
        """Add or remove a design's definitions; the modules concerned."""
        key = str(facts.relative)
        if adding:
            slot = self._slots[key] = _Slot(facts)
            entries = [Definition(facts.module, slot, None)]
            entries += [Definition(c.module, slot, i) for i, c in enumerate(facts.components)]
            self.by_path[key] = facts
            for entry in entries:
                bisect.insort(self.definitions.setdefault(entry.module, []), entry, key=_order)
        else:
            self._slots.pop(key, None)
            self.by_path.pop(key, None)
            for module in facts.defines():
                kept = [d for d in self.definitions.get(module, []) if d.facts is not facts]
                if kept:
                    self.definitions[module] = kept
                else:
                    self.definitions.pop(module, None)
        return facts.defines()

    def _settle_owner(self, module: str) -> bool:
        """Recompute who owns ``module`` (and which design is its context); True if changed."""
        defined = self.definitions.get(module)
        before = (self.owner.get(module), self.contexts.get(module))
        context = next((d.facts for d in defined or [] if d.named is None), None)
        if context is None:
            self.contexts.pop(module, None)
            if module in self.adjacency:
                self._unlink(module)
        else:
            self.contexts[module] = context
        if defined:
            self.owner[module] = defined[0].facts.module
        else:
            self.owner.pop(module, None)
        after = (self.owner.get(module), self.contexts.get(module))
        return before[0] != after[0] or before[1] is not after[1]

    def _unlink(self, context: str) -> None:
        for target in self.adjacency.pop(context, []):
            self.reverse.get(target, set()).discard(context)
        self.component_of.pop(context, None)
        self.cyclic.discard(context)

    def _link(self, context: str) -> None:
        """(Re)compute the edges out of ``context`` from its design's dependencies."""
        for before in self.adjacency.get(context, []):
            self.reverse.get(before, set()).discard(context)
        facts = self.contexts.get(context)
        for module in self.names_of.pop(context, set()):
            self.named_by.get(module, set()).discard(context)
        if facts is None:
            self._unlink(context)
            return
        targets: list[str] = []
        self.names_of[context] = {dep.module for dep in facts.dependencies}
        for dep in facts.dependencies:
            self.named_by.setdefault(dep.module, set()).add(context)
            target = self.owner.get(dep.module)
            if target is not None and target != context and target not in targets:
                targets.append(target)
        self.adjacency[context] = targets
        for target in targets:
            self.reverse.setdefault(target, set()).add(context)

    def _recompute_components(self, sources: set[str]) -> None:
        """New SCCs for the nodes whose SCC can have changed (see the module docstring)."""
        live = {s for s in sources if s in self.adjacency}
        ahead, behind = _reach(live, self.adjacency), _reach(live, self.reverse)
        old_cycle = {
            node
            for node, number in self.component_of.items()
            if number in {self.component_of.get(s) for s in sources} and node in self.cyclic
        }
        nodes = (ahead & behind) | old_cycle | live
        nodes &= set(self.adjacency)
        sub = {n: [t for t in self.adjacency[n] if t in nodes] for n in nodes}
        self._assign(strongly_connected(sub))

    def _assign(self, found: dict[str, int]) -> None:
        renumbered = {number: next(self._numbers) for number in set(found.values())}
        sizes: dict[int, int] = {}
        for node, number in found.items():
            self.component_of[node] = renumbered[number]
            sizes[renumbered[number]] = sizes.get(renumbered[number], 0) + 1
        for node in found:
            if sizes[self.component_of[node]] > 1:
                self.cyclic.add(node)
            else:
                self.cyclic.discard(node)


def _order(definition: Definition) -> tuple[int, str, int]:
    return definition.order


def _reach(start: set[str], edges: dict[str, list[str]] | dict[str, set[str]]) -> set[str]:
    seen = set(start)
    queue = deque(start)
    while queue:
        node: str = queue.popleft()
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def build_graph(designs: Iterable[DesignFacts], known: KnownModules) -> ContextGraph:
    graph = ContextGraph(known)
    ordered = sorted(designs, key=lambda facts: str(facts.relative))
    for facts in ordered:
        graph._define(facts, adding=True)
    for module in list(graph.definitions):
        graph._settle_owner(module)
    for context in list(graph.contexts):
        graph._link(context)
    graph._assign(strongly_connected(graph.adjacency))
    return graph
