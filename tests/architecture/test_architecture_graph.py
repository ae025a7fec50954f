"""The context graph and the checks across files, on designs written to a workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from arch_helpers import design_text, loaded_index, make_root, relative, write_design

from codemyspec_lsp.architecture.checks import cross_file_diagnostics
from codemyspec_lsp.architecture.graph import ContextGraph, build_graph
from codemyspec_lsp.architecture.index import DesignIndex
from codemyspec_lsp.architecture.render import dot, graph_json, mermaid


def seen(index: DesignIndex, module: str) -> list[tuple[str, int, str]]:
    """(code, 0-based line, message) of the cross-file diagnostics of one design."""
    graph = index.graph()
    facts = graph.contexts[module]
    return [(d.code, d.range.start.line, d.message) for d in cross_file_diagnostics(graph, facts)]


def line_of(root: Path, module: str, text: str) -> int:
    lines = (root / relative(module)).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines) if text in line)


def test_edges_run_from_the_depending_context_and_count_components_for_their_context(tmp_path):
    root = make_root(tmp_path)
    write_design(root, "Shop.Catalog", ["Shop.Repo"])
    write_design(root, "Shop.Orders", ["Shop.Catalog.Record", "Shop.Repo", "Ecto"])
    data = graph_json(loaded_index(root).graph())
    assert data == {
        "contexts": [
            {
                "module": "Shop.Catalog",
                "designFile": "docs/design/shop/catalog.md",
                "title": "Catalog",
                "valid": True,
                "errors": 0,
            },
            {
                "module": "Shop.Orders",
                "designFile": "docs/design/shop/orders.md",
                "title": "Orders",
                "valid": True,
                "errors": 0,
            },
        ],
        "edges": [{"from": "Shop.Orders", "to": "Shop.Catalog"}],
        "cycles": [],
        "undesigned": [],
    }


def test_an_undesigned_internal_dependency_is_cms130_and_known_or_outside_ones_are_not(tmp_path):
    root = make_root(tmp_path)
    deps = [
        "Shop.Billing",
        "Shop.Repo",
        "Shop.Mailer",
        "ShopWeb.Endpoint",
        "Ecto",
        "Phoenix.PubSub",
    ]
    write_design(root, "Shop.Orders", deps)
    index = loaded_index(root)
    line = line_of(root, "Shop.Orders", "- Shop.Billing")
    assert seen(index, "Shop.Orders") == [("CMS130", line, "Shop.Billing is not designed yet")]
    assert graph_json(index.graph())["undesigned"] == [
        {"from": "Shop.Orders", "module": "Shop.Billing"}
    ]
    # Designing it clears it.
    write_design(root, "Shop.Billing")
    assert seen(loaded_index(root), "Shop.Orders") == []


def test_known_modules_come_from_the_config(tmp_path):
    root = make_root(
        tmp_path, '[project]\nname = "Shop"\n[design]\nknown_modules = ["Shop.Billing.*"]\n'
    )
    write_design(root, "Shop.Orders", ["Shop.Billing.Invoice", "Shop.Repo"])
    line = line_of(root, "Shop.Orders", "- Shop.Repo")
    # The list replaces the default: Shop.Repo is no longer known.
    assert seen(loaded_index(root), "Shop.Orders") == [
        ("CMS130", line, "Shop.Repo is not designed yet")
    ]


def test_a_cycle_is_cms131_in_every_design_on_it(tmp_path):
    root = make_root(tmp_path)
    write_design(root, "Shop.Orders", ["Shop.Catalog"])
    write_design(root, "Shop.Catalog", ["Shop.Accounts"])
    write_design(root, "Shop.Accounts", ["Shop.Orders.Record"])
    index = loaded_index(root)
    assert seen(index, "Shop.Orders") == [
        (
            "CMS131",
            line_of(root, "Shop.Orders", "- Shop.Catalog"),
            "dependency cycle: Shop.Orders → Shop.Catalog → Shop.Accounts → Shop.Orders",
        )
    ]
    assert [code for code, _, _ in seen(index, "Shop.Accounts")] == ["CMS131"]
    assert [code for code, _, _ in seen(index, "Shop.Catalog")] == ["CMS131"]
    data = graph_json(index.graph())
    assert data["cycles"] == [["Shop.Accounts", "Shop.Orders", "Shop.Catalog"]]
    assert {c["module"]: c["errors"] for c in data["contexts"]} == {
        "Shop.Accounts": 1,
        "Shop.Catalog": 1,
        "Shop.Orders": 1,
    }
    # Breaking the cycle anywhere clears it everywhere.
    write_design(root, "Shop.Accounts", ["Shop.Repo"])
    index = loaded_index(root)
    assert [seen(index, m) for m in ("Shop.Orders", "Shop.Catalog", "Shop.Accounts")] == [
        [],
        [],
        [],
    ]
    assert graph_json(index.graph())["cycles"] == []


def test_two_cycles_through_one_context_are_both_listed(tmp_path):
    root = make_root(tmp_path)
    write_design(root, "Shop.A", ["Shop.B", "Shop.C"])
    write_design(root, "Shop.B", ["Shop.A"])
    write_design(root, "Shop.C", ["Shop.A"])
    data = graph_json(loaded_index(root).graph())
    assert data["cycles"] == [["Shop.A", "Shop.B"], ["Shop.A", "Shop.C"]]


def test_a_component_defined_in_two_designs_is_cms132_after_the_first_by_path(tmp_path):
    root = make_root(tmp_path)
    write_design(root, "Shop.Catalog", components=["Shop.Catalog.Product"])
    write_design(root, "Shop.Orders", components=["Shop.Orders.Order", "Shop.Catalog.Product"])
    index = loaded_index(root)
    first = line_of(root, "Shop.Catalog", "### Shop.Catalog.Product")
    assert seen(index, "Shop.Catalog") == []
    assert seen(index, "Shop.Orders") == [
        (
            "CMS132",
            line_of(root, "Shop.Orders", "### Shop.Catalog.Product"),
            f"Shop.Catalog.Product is also defined in docs/design/shop/catalog.md:{first + 1}",
        )
    ]


def test_renderings_name_every_context_and_mark_the_cycle(tmp_path):
    root = make_root(tmp_path)
    write_design(root, "Shop.Orders", ["Shop.Catalog", "Shop.Billing"])
    write_design(root, "Shop.Catalog", ["Shop.Orders"])
    graph = loaded_index(root).graph()
    text = mermaid(graph)
    assert text.startswith("flowchart LR\n")
    assert '["Shop.Orders"]' in text and '["Shop.Catalog"]' in text
    assert '["Shop.Billing"]' in text and "-.->" in text
    assert "classDef hasErrors" in text and "class c0,c1 hasErrors" in text
    assert "linkStyle 0,1 " in text
    assert '"Shop.Orders" -> "Shop.Catalog" [color=red' in dot(graph)


def test_a_design_that_does_not_parse_is_still_a_context(tmp_path):
    root = make_root(tmp_path)
    path = root / relative("Shop.Orders")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not utf-8")
    data = graph_json(loaded_index(root).graph())
    assert data["contexts"][0]["module"] == "Shop.Orders"
    assert data["contexts"][0]["valid"] is False


def test_an_unchanged_signature_keeps_the_graph(tmp_path):
    root = make_root(tmp_path)
    orders = write_design(root, "Shop.Orders", ["Shop.Catalog"])
    write_design(root, "Shop.Catalog")
    index = loaded_index(root)
    graph = index.graph()
    from codemyspec_lsp.design.validator import validate_design

    text = "\n\n" + design_text("Shop.Orders", ["Shop.Catalog"])
    facts = index.facts_of(orders, validate_design(text), 2)
    assert facts is not None
    assert index.put(facts, orders) is False  # same modules: other designs unaffected
    assert index.graph() is graph
    facts = index.facts_of(orders, validate_design(design_text("Shop.Orders")), 3)
    assert facts is not None
    assert index.put(facts, orders) is True
    assert index.graph().edges() == []


def test_the_prompt_map_names_the_function_heads_of_each_public_api(tmp_path):
    from codemyspec_lsp.workspace.architecture import function_heads, load_architecture

    api = (
        "- `list_products(maker_id)`: the maker's products\n"
        "- `Shop.Catalog.get_product!(id)` and `Product` (a schema, not a function)\n"
        "```elixir\ndef reserve_stock(product_id, quantity) do\n```\n"
    )
    assert function_heads(api) == (
        "list_products(maker_id)",
        "Shop.Catalog.get_product!(id)",
        "reserve_stock(product_id, quantity)",
    )
    many = "\n".join(f"- `f{n}(x)`" for n in range(40))
    assert len(function_heads(many)) == 12
    root = make_root(tmp_path)
    write_design(root, "Shop.Catalog", public_api=api)
    (node,) = load_architecture(root, "docs/design").contexts
    assert node.public_api[0] == "list_products(maker_id)"


def test_rename_plan_moves_the_context_and_its_children_and_edits_every_mention(tmp_path):
    from pathlib import PurePosixPath

    from codemyspec_lsp.architecture.navigation import RenameRefused, plan_rename

    root = make_root(tmp_path)
    write_design(root, "Shop.Catalog", components=["Shop.Catalog.Product"])
    write_design(root, "Shop.Catalog.Admin", ["Shop.Catalog.Product"], components=[])
    write_design(root, "Shop.Orders", ["Shop.Catalog", "Shop.CatalogExtra"])
    graph = loaded_index(root).graph()
    plan = plan_rename(graph, PurePosixPath("docs/design"), "Shop.Catalog", "Shop.Products")
    assert plan.moves == [
        (relative("Shop.Catalog"), relative("Shop.Products")),
        (relative("Shop.Catalog.Admin"), relative("Shop.Products.Admin")),
    ]
    orders = plan.edits[relative("Shop.Orders")]
    assert [(e.range.start.line, e.new_text) for e in orders] == [
        (line_of(root, "Shop.Orders", "- Shop.Catalog:"), "Shop.Products")
    ]  # Shop.CatalogExtra is another module
    catalog = plan.edits[relative("Shop.Catalog")]
    assert catalog[0].new_text == "Products" and catalog[0].range.start.line == 0  # the title
    for bad, why in [
        ("Shop.Orders", "already defined"),
        ("shop products", "not a module name"),
        ("Products", "not qualified"),
    ]:
        with pytest.raises(RenameRefused, match=why):
            plan_rename(graph, PurePosixPath("docs/design"), "Shop.Catalog", bad)


def test_rechecking_only_the_affected_designs_matches_checking_all(tmp_path):
    """Random edits of dependencies and components: after each, the designs `affected()`
    names, re-checked, give the same diagnostics as re-checking every design."""
    import random

    from codemyspec_lsp.design.validator import validate_design

    rng = random.Random(14)
    names = [f"Shop.C{n}" for n in range(8)]
    root = make_root(tmp_path)
    for name in names:
        write_design(root, name)
    index = loaded_index(root)
    shown = {path: cross_file_diagnostics(index.graph(), f) for path, f in index.affected()}
    written: dict[str, tuple[list[str], list[str]]] = {}
    for step in range(400):
        name = rng.choice(names)
        path = root / relative(name)
        targets = [*names, "Shop.Billing", "Shop.Repo", *(f"{n}.Record" for n in names)]
        deps = rng.sample(targets, rng.randint(0, 4))
        parts = [f"{rng.choice(names)}.Record"] if rng.random() < 0.3 else [f"{name}.Record"]
        if rng.random() < 0.1:
            parts.append(rng.choice(names))  # a component named like another context
        if rng.random() < 0.1:
            parts.append(parts[0])  # the same component twice in one design
        if name in written and rng.random() < 0.4:
            deps, parts = written[name]  # same modules (same signature), lines moved below
        if rng.random() < 0.1:
            if index.remove(path):
                shown.pop(path, None)
                written.pop(name, None)
        else:
            written[name] = (deps, parts)
            text = "\n" * rng.randint(0, 3) + design_text(name, deps, parts)
            facts = index.facts_of(path, validate_design(text), step)
            assert facts is not None
            index.put(facts, path)
            # the edited design's own are always checked again (`Architecture.indexed`)
            shown[path] = cross_file_diagnostics(index.graph(), facts)
        graph = index.graph()
        assert shape(graph) == shape(build_graph([f for _, f in index], index.known)), step
        assert_consistent(graph, index)
        for changed, facts in index.affected():
            shown[changed] = cross_file_diagnostics(graph, facts)
        everything = {p: cross_file_diagnostics(graph, f) for p, f in index}
        assert shown == everything, step


def shape(graph: ContextGraph) -> dict[str, object]:
    """What a graph says, independent of how it was built."""
    parts: dict[int, set[str]] = {}
    for node, number in graph.component_of.items():
        parts.setdefault(number, set()).add(node)
    return {
        "owner": dict(graph.owner),
        "contexts": {m: str(f.relative) for m, f in graph.contexts.items()},
        "definitions": {
            m: [(str(d.facts.relative), d.named.line if d.named else None) for d in ds]
            for m, ds in graph.definitions.items()
        },
        "edges": graph.edges(),
        "cyclic": set(graph.cyclic),
        "components": sorted(sorted(p) for p in parts.values()),
        "cycles": graph.cycles(),
    }


def assert_consistent(graph: ContextGraph, index: DesignIndex) -> None:
    """Every design the graph holds is the index's current one, and each definition reads
    its facts and heading from it."""
    current = {str(f.relative): f for _, f in index}
    assert graph.by_path.keys() == current.keys()
    assert all(graph.by_path[key] is facts for key, facts in current.items())
    assert all(current[str(f.relative)] is f for f in graph.contexts.values())
    for module, defined in graph.definitions.items():
        for d in defined:
            assert d.facts is current[str(d.facts.relative)]
            assert d.module == module
            assert (d.named.module if d.named else d.facts.module) == module
