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


def resolves_inside(container: Path, path: Path) -> bool:
    """The one rule for every reader of workspace files: may ``path`` be read?

    True when ``path``, with every symbolic link followed, lies inside ``container`` (the
    workspace root, or a directory of it), itself resolved. A link pointing out of it, a
    link loop or a path that cannot be resolved is refused. The start-up scan, the
    editor's validation of files on disk, ``codemyspec validate``, the session's validate
    step and the prompt builder all ask this before reading a design, story or rule.
    """
    try:
        return path.resolve().is_relative_to(container.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def design_files(root: Path, design_dir: Path) -> list[Path]:
    """Every ``*.md`` file under ``design_dir`` that may be read, sorted (disk I/O).

    Paths are as found under ``design_dir`` (a link keeps its own name); a file that is a
    link to outside the workspace ``root`` is left out (:func:`resolves_inside`).
    """
    if not design_dir.is_dir():
        return []
    found = []
    for path in sorted(design_dir.rglob("*.md")):
        try:
            if path.is_file() and resolves_inside(root, path):
                found.append(path)
        except OSError:
            continue
    return found


def contained(root: Path, design_dir: str, relative: PurePosixPath) -> Path:
    """The absolute path of ``relative``; refused unless inside the design dir and the workspace.

    ``design_dir`` ``"."`` checks only the workspace.

    Resolving follows symlinks, so a link pointing out of the workspace is refused too
    (:func:`resolves_inside`).
    """
    workspace = root.resolve()
    designs = (workspace / design_dir).resolve()
    target = (workspace / relative).resolve()
    if not resolves_inside(workspace, designs):
        raise InvalidParams(f"design dir {design_dir!r} resolves outside the workspace")
    if not resolves_inside(designs, target):
        raise InvalidParams(f"context: design file {relative} would lie outside {design_dir}")
    return target
