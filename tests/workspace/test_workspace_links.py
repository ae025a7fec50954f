"""Links out of the workspace: one rule (`resolves_inside`) and every reader that obeys it.

A design, story or rule that is a symbolic link to a file outside the workspace is never
read. The LSP readers (start-up scan, didOpen) are tested in tests/lsp/test_lsp_links.py,
`codemyspec validate` in tests/cli/test_validate.py and the session's validate step in
tests/session/test_session_orchestrator.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemyspec_lsp.workspace.architecture import load_architecture
from codemyspec_lsp.workspace.paths import design_files, resolves_inside
from codemyspec_lsp.workspace.stories import load_stories

DESIGN = "# {title}\n\n## Purpose\n\n{title} things.\n\n## Dependencies\n\n- None\n"


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A workspace with one real design, and a secret file outside it."""
    root = tmp_path / "shop"
    designs = root / "docs" / "design" / "shop"
    designs.mkdir(parents=True)
    (designs / "accounts.md").write_text(DESIGN.format(title="Accounts"), encoding="utf-8")
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(DESIGN.format(title="Secret"), encoding="utf-8")
    return root, secret


def test_the_rule_follows_every_link(layout: tuple[Path, Path]) -> None:
    root, secret = layout
    design = root / "docs/design/shop/accounts.md"
    assert resolves_inside(root, design)
    out = root / "docs/design/shop/out.md"
    out.symlink_to(secret)
    assert not resolves_inside(root, out)
    # A link inside the workspace to another file of it may be read.
    alias = root / "docs/design/shop/alias.md"
    alias.symlink_to(design)
    assert resolves_inside(root, alias)
    # A directory link out, a chain ending outside, a loop: all refused.
    (root / "docs/design/far").symlink_to(secret.parent, target_is_directory=True)
    assert not resolves_inside(root, root / "docs/design/far/secret.md")
    chain = root / "docs/design/chain.md"
    chain.symlink_to(out)
    assert not resolves_inside(root, chain)
    loop = root / "docs/design/loop.md"
    loop.symlink_to(loop)
    assert not resolves_inside(root, loop)


def test_listing_the_designs_leaves_out_links_out(layout: tuple[Path, Path]) -> None:
    root, secret = layout
    base = root / "docs/design"
    (base / "shop/out.md").symlink_to(secret)
    (base / "far").symlink_to(secret.parent, target_is_directory=True)
    (base / "shop/alias.md").symlink_to(base / "shop/accounts.md")
    found = [p.relative_to(base).as_posix() for p in design_files(root, base)]
    assert found == ["shop/accounts.md", "shop/alias.md"]
    assert design_files(root, root / "nowhere") == []


def test_the_prompt_builder_never_reads_a_design_linking_out(layout: tuple[Path, Path]) -> None:
    root, secret = layout
    (root / "docs/design/shop/secret.md").symlink_to(secret)
    graph = load_architecture(root, "docs/design")
    assert [node.title for node in graph.contexts] == ["Accounts"]


def test_stories_linking_out_are_not_read(layout: tuple[Path, Path]) -> None:
    root, secret = layout
    stories = root / ".codemyspec/stories"
    stories.mkdir(parents=True)
    (stories / "mine.md").write_text("---\ncontexts: [Accounts]\n---\n# Sign up\n")
    secret.write_text("---\ncontexts: [Accounts]\n---\n# Secret story\n")
    os.symlink(secret, stories / "leak.md")
    assert [story.title for story in load_stories(root)] == ["Sign up"]
