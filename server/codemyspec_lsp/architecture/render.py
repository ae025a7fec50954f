"""The context graph as `codemyspec graph` prints it and `codemyspec/getGraph` returns it:
JSON (architecture.md's shape), Mermaid and DOT."""

from __future__ import annotations

import json
from typing import Any

from codemyspec_lsp.architecture.checks import error_count
from codemyspec_lsp.architecture.graph import ContextGraph

# Mermaid class names a client can style (getGraph's "mermaid" text uses them too).
ERROR_CLASS = "hasErrors"
CYCLE_CLASS = "inCycle"
UNDESIGNED_CLASS = "undesigned"
CYCLE_EDGE_STYLE = "stroke:#d32f2f,stroke-width:3px"


def graph_json(graph: ContextGraph) -> dict[str, Any]:
    contexts = []
    for module in sorted(graph.contexts):
        facts = graph.contexts[module]
        errors = error_count(graph, facts)
        contexts.append(
            {
                "module": module,
                "designFile": str(facts.relative),
                "title": facts.title,
                "valid": errors == 0,
                "errors": errors,
            }
        )
    return {
        "contexts": contexts,
        "edges": [{"from": a, "to": b} for a, b in graph.edges()],
        "cycles": graph.cycles(),
        "undesigned": [{"from": a, "module": m} for a, m in graph.undesigned()],
    }


def cycle_edges(graph: ContextGraph) -> set[tuple[str, str]]:
    return {(a, b) for a, b in graph.edges() if graph.cycle(a, b) is not None}


def mermaid(graph: ContextGraph) -> str:
    """A flowchart: contexts as nodes labelled with their modules, undesigned dependencies
    as dashed nodes; classes ``hasErrors``, ``inCycle``, ``undesigned``; cycle edges red."""
    data = graph_json(graph)
    ids = {c["module"]: f"c{i}" for i, c in enumerate(data["contexts"])}
    missing = sorted({u["module"] for u in data["undesigned"]})
    ids.update({m: f"u{i}" for i, m in enumerate(missing)})
    lines = ["flowchart LR"]
    in_cycle = {module for ring in data["cycles"] for module in ring}
    for context in data["contexts"]:
        lines.append(f'  {ids[context["module"]]}["{context["module"]}"]')
    for module in missing:
        lines.append(f'  {ids[module]}["{module}"]')
    cyclic = cycle_edges(graph)
    red = []
    for number, edge in enumerate(data["edges"]):
        lines.append(f"  {ids[edge['from']]} --> {ids[edge['to']]}")
        if (edge["from"], edge["to"]) in cyclic:
            red.append(number)
    for item in data["undesigned"]:
        lines.append(f"  {ids[item['from']]} -.-> {ids[item['module']]}")
    lines += [
        f"  classDef {ERROR_CLASS} fill:#fdecea,stroke:#d32f2f,color:#b71c1c",
        f"  classDef {CYCLE_CLASS} stroke:#d32f2f,stroke-width:3px",
        f"  classDef {UNDESIGNED_CLASS} stroke-dasharray:4 3,fill:#f5f5f5,color:#616161",
    ]
    with_errors = [ids[c["module"]] for c in data["contexts"] if not c["valid"]]
    if with_errors:
        lines.append(f"  class {','.join(with_errors)} {ERROR_CLASS}")
    if in_cycle:
        lines.append(f"  class {','.join(ids[m] for m in sorted(in_cycle))} {CYCLE_CLASS}")
    if missing:
        lines.append(f"  class {','.join(ids[m] for m in missing)} {UNDESIGNED_CLASS}")
    if red:
        lines.append(f"  linkStyle {','.join(map(str, red))} {CYCLE_EDGE_STYLE}")
    return "\n".join(lines) + "\n"


def dot(graph: ContextGraph) -> str:
    data = graph_json(graph)
    cyclic = cycle_edges(graph)
    lines = ["digraph contexts {", "  rankdir=LR;", "  node [shape=box];"]
    for context in data["contexts"]:
        bad = ' [style=filled, fillcolor="#fdecea", color="#d32f2f"]'
        lines.append(f"  {_q(context['module'])}{'' if context['valid'] else bad};")
    for item in sorted({u["module"] for u in data["undesigned"]}):
        lines.append(f"  {_q(item)} [style=dashed];")
    for edge in data["edges"]:
        red = " [color=red, penwidth=2]" if (edge["from"], edge["to"]) in cyclic else ""
        lines.append(f"  {_q(edge['from'])} -> {_q(edge['to'])}{red};")
    for item in data["undesigned"]:
        lines.append(f"  {_q(item['from'])} -> {_q(item['module'])} [style=dashed];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _q(name: str) -> str:
    return json.dumps(name)
