"""Stories, rules and the architecture graph read from a workspace; broken files skipped."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from codemyspec_lsp.workspace.architecture import load_architecture
from codemyspec_lsp.workspace.rules import find_matching_rules
from codemyspec_lsp.workspace.stories import load_stories, stories_for


def write(root: Path, relative: str, text: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def test_stories_concern_a_context_by_short_or_qualified_name(tmp_path: Path) -> None:
    write(tmp_path, ".codemyspec/stories/a.md", "---\ncontexts: [Accounts]\n---\n# Sign up\n")
    write(tmp_path, ".codemyspec/stories/b.md", "---\ncontexts: Shop.Accounts\n---\n# Log in\n")
    write(tmp_path, ".codemyspec/stories/c.md", "---\ncontexts: [Other.Accounts]\n---\n# No\n")
    write(tmp_path, ".codemyspec/stories/d.md", "---\ncontexts: [Orders]\n---\n# Order\n")
    assert [s.title for s in stories_for(tmp_path, "Accounts", "Shop.Accounts")] == [
        "Sign up",
        "Log in",
    ]


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("yaml.md", "---\ncontexts: [Accounts\n---\n# x\n", "invalid YAML"),
        ("none.md", "# no front matter\n", "no YAML front matter"),
        ("list.md", "---\n- a\n---\n# x\n", "not a mapping"),
        ("type.md", "---\ncontexts: 3\n---\n# x\n", "'contexts' must be a list"),
        ("binary.md", b"---\n\xff\xfe\n---\n", "UTF-8"),
    ],
)
def test_a_broken_story_is_skipped_with_a_warning_naming_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, content: str | bytes, why: str
) -> None:
    write(tmp_path, ".codemyspec/stories/good.md", "---\ncontexts: [Accounts]\n---\n# Good\n")
    write(tmp_path, f".codemyspec/stories/{name}", content)
    with caplog.at_level(logging.WARNING):
        stories = load_stories(tmp_path)
    assert [s.title for s in stories] == ["Good"]
    assert name in caplog.text
    assert why in caplog.text


def test_find_matching_rules_matches_each_criterion_or_star(tmp_path: Path) -> None:
    rules = {
        "a_exact.md": "component_type: context\nsession_type: design",
        "b_star.md": "component_type: '*'\nsession_type: '*'",
        "c_half.md": "component_type: context\nsession_type: '*'",
        "d_other_type.md": "component_type: schema\nsession_type: design",
        "e_other_session.md": "component_type: context\nsession_type: coding",
    }
    for name, meta in rules.items():
        write(tmp_path, f".codemyspec/rules/{name}", f"---\n{meta}\n---\nRule {name}\n")
    write(tmp_path, ".codemyspec/rules/f_broken.md", "---\n: :\n---\n")
    matching = find_matching_rules(tmp_path, "context", "design")
    assert [r.path.name for r in matching] == ["a_exact.md", "b_star.md", "c_half.md"]
    assert matching[0].body == "Rule a_exact.md"


def test_no_rules_or_stories_folder_is_no_rules_or_stories(tmp_path: Path) -> None:
    assert find_matching_rules(tmp_path, "context", "design") == []
    assert load_stories(tmp_path) == []


DESIGN = """# {title}

## Purpose
{purpose}

## Dependencies
{deps}
"""


def test_the_architecture_graph_knows_contexts_and_dependents(tmp_path: Path) -> None:
    designs = {
        "shop/accounts": ("Accounts", "Owns accounts.", "- Shop.Repo"),
        "shop/orders": ("Orders", "Owns\norders.", "- Shop.Accounts: who orders"),
        "shop_web/account_live": ("AccountLive", "Pages.", "- Shop.Accounts.Account"),
        "shop/catalog": ("Catalog", "Owns products.", "- None"),
    }
    for path, (title, purpose, deps) in designs.items():
        text = DESIGN.format(title=title, purpose=purpose, deps=deps)
        write(tmp_path, f"docs/design/{path}.md", text)
    write(tmp_path, "docs/design/broken.md", b"\xff\xfe not utf-8")
    graph = load_architecture(tmp_path, "docs/design")
    modules = [n.module for n in graph.contexts]
    assert "Shop.Accounts" in modules
    assert "ShopWeb.AccountLive" in modules
    assert [n.module for n in graph.others("Shop.Accounts")] == [
        m for m in modules if m != "Shop.Accounts"
    ]
    assert sorted(n.module for n in graph.dependents_of("Shop.Accounts")) == [
        "Shop.Orders",
        "ShopWeb.AccountLive",
    ]
    orders = next(n for n in graph.contexts if n.module == "Shop.Orders")
    assert (orders.title, orders.purpose) == ("Orders", "Owns orders.")


def test_no_design_dir_is_an_empty_graph(tmp_path: Path) -> None:
    assert load_architecture(tmp_path, "docs/design").contexts == ()
