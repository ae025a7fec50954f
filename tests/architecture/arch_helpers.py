"""Designs written for the architecture tests: valid on their own, with the dependencies
and components a test needs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from codemyspec_lsp.architecture.index import DesignIndex, workspace_index
from codemyspec_lsp.design.sections import KNOWN_SECTIONS
from codemyspec_lsp.workspace.config import load_config
from codemyspec_lsp.workspace.paths import design_path

SECTIONS = tuple(
    spec.title for spec in KNOWN_SECTIONS if spec.key not in ("dependencies", "components")
)


def design_text(
    module: str,
    dependencies: Sequence[str] = (),
    components: Sequence[str] | None = None,
    public_api: str = "- `list()`: every record",
) -> str:
    short = module.rsplit(".", 1)[-1]
    lines = [f"# {short}", ""]
    for title in SECTIONS:
        body = public_api if title == "Public API" else f"The {title.lower()} of {short}."
        lines += [f"## {title}", body, ""]
    lines += ["## Dependencies"]
    lines += [f"- {dep}: needed" for dep in dependencies] or ["- None"]
    lines += ["", "## Components", ""]
    for component in components if components is not None else [f"{module}.Record"]:
        lines += [
            f"### {component}",
            "",
            "| field | value  |",
            "| ----- | ------ |",
            "| type  | schema |",
            "",
            f"The {component} record.",
            "",
        ]
    return "\n".join(lines)


def write_design(root: Path, module: str, *args: object, **kwargs: object) -> Path:
    path = root / design_path(module, "docs/design")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(design_text(module, *args, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


def make_root(root: Path, config: str = '[project]\nname = "Shop"\n') -> Path:
    (root / ".codemyspec").mkdir(parents=True, exist_ok=True)
    (root / ".codemyspec" / "config.toml").write_text(config, encoding="utf-8")
    return root


def loaded_index(root: Path) -> DesignIndex:
    config, problem = load_config(root)
    assert problem is None, problem
    index = workspace_index(root, config)
    index.load()
    return index


def relative(module: str) -> PurePosixPath:
    return design_path(module, "docs/design")


def demo_shop(root: Path) -> Path:
    """The demo workspace as `codemyspec demo` leaves it: Orders designed (by the replay
    agent's corrected design) beside Accounts and Catalog."""
    from codemyspec_lsp.cli.demo import copy_tree
    from codemyspec_lsp.demo import workspace_files
    from codemyspec_lsp.demo.replay_agent import render_design, sibling_contexts

    copy_tree(workspace_files(), root)
    orders = root / "docs/design/shop/orders.md"
    orders.write_text(
        render_design("corrected", "Shop.Orders", sibling_contexts(orders, "Shop.Orders")),
        encoding="utf-8",
    )
    return root
