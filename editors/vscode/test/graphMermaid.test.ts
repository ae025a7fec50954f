import { describe, expect, it } from "vitest";
import type { Graph } from "../src/companion";
import { graphToMermaid } from "../src/graphMermaid";

const graph: Graph = {
  contexts: [
    { module: "Shop.Orders", designFile: "docs/design/shop/orders.md", title: "Orders", valid: false, errors: 2 },
    { module: "Shop.Catalog", designFile: "docs/design/shop/catalog.md", title: "Catalog", valid: true, errors: 0 },
    { module: "Shop.Accounts", designFile: "docs/design/shop/accounts.md", title: "Accounts", valid: true, errors: 0 },
  ],
  edges: [
    { from: "Shop.Orders", to: "Shop.Catalog" },
    { from: "Shop.Orders", to: "Shop.Accounts" },
    { from: "Shop.Catalog", to: "Shop.Orders" },
  ],
  cycles: [["Shop.Orders", "Shop.Catalog"]],
  undesigned: [{ from: "Shop.Orders", module: "Shop.Billing" }],
};

describe("graphToMermaid (Show Architecture)", () => {
  const drawn = graphToMermaid(graph);

  it("draws every context, coloured by whether its design has errors", () => {
    expect(drawn.text).toContain('n0["Shop.Accounts"]:::valid');
    expect(drawn.text).toContain('n1["Shop.Catalog"]:::valid');
    expect(drawn.text).toContain('n2["Shop.Orders · 2 errors"]:::invalid');
    expect(drawn.nodes["n2"]).toEqual({ module: "Shop.Orders", designFile: "docs/design/shop/orders.md", errors: 2 });
  });

  it("draws the edges of a cycle in red, and only those", () => {
    expect(drawn.text).toContain("n2 --> n1");
    expect(drawn.text).toContain("n1 --> n2");
    // edges in order: Orders->Catalog (0, cycle), Orders->Accounts (1), Catalog->Orders (2, cycle)
    expect(drawn.text).toContain("linkStyle 0,2 stroke:#d32f2f");
    expect(drawn.summary).toContain("cycle: Shop.Orders → Shop.Catalog → Shop.Orders");
  });

  it("shows an undesigned dependency as a dashed node without a design to open", () => {
    expect(drawn.text).toContain('n3["Shop.Billing · no design"]:::undesigned');
    expect(drawn.text).toContain("n2 -.-> n3");
    expect(drawn.nodes["n3"]?.designFile).toBeNull();
  });

  it("says when all is well", () => {
    const calm = graphToMermaid({ contexts: [graph.contexts[1]!], edges: [], cycles: [], undesigned: [] });
    expect(calm.summary).toBe("1 context · 0 dependencies · every design valid · no cycle");
    expect(calm.text).not.toContain("linkStyle");
  });
});
