// The context graph (codemyspec/getGraph, architecture.md's JSON) as Mermaid text for the
// architecture view: a node per context, coloured by whether its design has errors; the edges
// of a cycle drawn thick and red; dependencies on undesigned contexts as dashed nodes.
// Pure: the unit tests read the text; the webview only draws it.
import type { Graph } from "./companion";

export interface DrawnNode {
  module: string;
  designFile: string | null;
  errors: number;
}

export interface DrawnGraph {
  text: string;
  /** Mermaid node id -> what a click on it opens. */
  nodes: Record<string, DrawnNode>;
  summary: string;
}

/** Module names are letters, digits, `_` and dots; anything else is dropped from a label. */
function label(text: string): string {
  return text.replace(/["<>`#&;\\]/g, "");
}

/** Every edge that lies on one of the graph's cycles (consecutive members, and back to the first). */
export function cycleEdges(cycles: string[][]): Set<string> {
  const edges = new Set<string>();
  for (const cycle of cycles) {
    cycle.forEach((module, index) => {
      const next = cycle[(index + 1) % cycle.length];
      if (next !== undefined && cycle.length > 1) edges.add(`${module}->${next}`);
    });
  }
  return edges;
}

export function graphToMermaid(graph: Graph): DrawnGraph {
  const ids = new Map<string, string>();
  const nodes: Record<string, DrawnNode> = {};
  const lines = ["flowchart LR"];
  const idOf = (module: string): string => {
    let id = ids.get(module);
    if (id === undefined) {
      id = `n${ids.size}`;
      ids.set(module, id);
    }
    return id;
  };
  for (const context of [...graph.contexts].sort((a, b) => a.module.localeCompare(b.module))) {
    const id = idOf(context.module);
    nodes[id] = { module: context.module, designFile: context.designFile, errors: context.errors };
    const errors = context.errors === 1 ? "1 error" : `${context.errors} errors`;
    lines.push(`  ${id}["${label(context.module)}${context.errors > 0 ? ` · ${errors}` : ""}"]:::${context.errors > 0 || !context.valid ? "invalid" : "valid"}`);
  }
  const undesigned = [...new Set(graph.undesigned.map((item) => item.module))].sort();
  for (const module of undesigned) {
    if (ids.has(module)) continue;
    const id = idOf(module);
    nodes[id] = { module, designFile: null, errors: 0 };
    lines.push(`  ${id}["${label(module)} · no design"]:::undesigned`);
  }
  const onCycle = cycleEdges(graph.cycles);
  const red: number[] = [];
  let index = 0;
  for (const edge of graph.edges) {
    lines.push(`  ${idOf(edge.from)} --> ${idOf(edge.to)}`);
    if (onCycle.has(`${edge.from}->${edge.to}`)) red.push(index);
    index += 1;
  }
  for (const item of graph.undesigned) {
    lines.push(`  ${idOf(item.from)} -.-> ${idOf(item.module)}`);
    index += 1;
  }
  lines.push(
    "  classDef valid fill:#e3f2e6,stroke:#2e7d32,color:#1b3d20",
    "  classDef invalid fill:#fde7e7,stroke:#c62828,color:#5c1010,stroke-width:2px",
    "  classDef undesigned fill:#f4f4f4,stroke:#888,color:#444,stroke-dasharray:4 3",
  );
  if (red.length > 0) lines.push(`  linkStyle ${red.join(",")} stroke:#d32f2f,stroke-width:3px`);
  const invalid = graph.contexts.filter((context) => context.errors > 0 || !context.valid).length;
  const summary = [
    `${graph.contexts.length} context${graph.contexts.length === 1 ? "" : "s"}`,
    `${graph.edges.length} dependenc${graph.edges.length === 1 ? "y" : "ies"}`,
    invalid > 0 ? `${invalid} with errors` : "every design valid",
    graph.cycles.length > 0 ? `cycle: ${graph.cycles.map((cycle) => [...cycle, cycle[0]].join(" → ")).join("; ")}` : "no cycle",
    undesigned.length > 0 ? `not designed yet: ${undesigned.join(", ")}` : "",
  ].filter(Boolean).join(" · ");
  return { text: lines.join("\n"), nodes, summary };
}
