"""Context names -> modules -> design file paths, and the checks that keep paths inside.

``Shop.Accounts`` -> ``docs/design/shop/accounts.md``; ``ShopWeb.ProductLive`` ->
``docs/design/shop_web/product_live.md``. A context name is refused unless it is a module
name, so no path separator, ``..``, space, NUL or shell character can reach a path or argv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codemyspec_lsp.session.errors import InvalidParams

MAX_MODULE_LENGTH = 255
SEGMENT = r"[A-Z][A-Za-z0-9_]*"
CONTEXT_NAME = re.compile(rf"^{SEGMENT}(\.{SEGMENT})*$")


@dataclass(frozen=True)
class ContextTarget:
    name: str  # the last module segment: ``Accounts``
    module: str  # qualified: ``Shop.Accounts``
    design_file: PurePosixPath  # relative to the workspace root


def resolve_context(context: str, project_module: str, design_dir: str) -> ContextTarget:
    """Qualify ``context`` with the project module when bare; refuse anything else.

    Raises :class:`InvalidParams` naming the field ``context``.
    """
    if len(context) > MAX_MODULE_LENGTH or not CONTEXT_NAME.match(context):
        shown = context if len(context) <= 80 else context[:77] + "..."
        raise InvalidParams(
            f"context: {shown!r} is not a context module name; use a name like "
            "'Accounts' or 'MyApp.Accounts' (letters, digits and '_', segments "
            "starting with a capital letter, joined by '.')"
        )
    module = context if "." in context else f"{project_module}.{context}"
    if len(module) > MAX_MODULE_LENGTH:
        raise InvalidParams(f"context: {module!r} is longer than {MAX_MODULE_LENGTH} characters")
    return ContextTarget(
        name=module.rsplit(".", 1)[-1],
        module=module,
        design_file=design_path(module, design_dir),
    )


def snake_case(segment: str) -> str:
    """``ShopWeb`` -> ``shop_web``, ``HTTPClient`` -> ``http_client`` (Elixir's underscore)."""
    step = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", segment)
    step = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", step)
    return step.lower()


def kebab_case(segment: str) -> str:
    return snake_case(segment).replace("_", "-")


def design_path(module: str, design_dir: str) -> PurePosixPath:
    """The design file of ``module``, relative to the workspace root."""
    parts = [snake_case(part) for part in module.split(".")]
    return PurePosixPath(design_dir, *parts[:-1], parts[-1] + ".md")


def module_for_design(relative: PurePosixPath) -> str:
    """Best inverse of :func:`design_path`: ``shop_web/live.md`` -> ``ShopWeb.Live``."""
    parts = [*relative.parent.parts, relative.stem] if relative.parent.parts else [relative.stem]
    return ".".join(
        "".join(word[:1].upper() + word[1:] for word in part.split("_")) for part in parts
    )


def contained(root: Path, design_dir: str, relative: PurePosixPath) -> Path:
    """The absolute path of ``relative``; refused unless inside the design dir and the workspace.

    ``design_dir`` ``"."`` checks only the workspace.

    Resolving follows symlinks, so a link pointing out of the workspace is refused too.
    """
    workspace = root.resolve()
    designs = (workspace / design_dir).resolve()
    target = (workspace / relative).resolve()
    if not designs.is_relative_to(workspace):
        raise InvalidParams(f"design dir {design_dir!r} resolves outside the workspace")
    if not target.is_relative_to(designs):
        raise InvalidParams(f"context: design file {relative} would lie outside {design_dir}")
    return target
