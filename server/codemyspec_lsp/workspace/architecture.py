"""The project's map of contexts: the designs already in the design directory.

Each file is parsed with the validator (its diagnostics are not needed here), giving the
title, Purpose and Dependencies; the module comes from the file's path. The generate step
tells the agent which contexts exist and which of them already depend on the target.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codemyspec_lsp.design.validator import ValidationOptions, validate_design
from codemyspec_lsp.workspace.paths import design_files, module_for_design, resolves_inside

log = logging.getLogger(__name__)

MAX_DESIGNS = 500  # a map larger than this would swamp the prompt anyway


@dataclass(frozen=True)
class ContextNode:
    module: str
    title: str
    purpose: str
    dependencies: tuple[str, ...]
    design_file: PurePosixPath  # relative to the workspace root
    valid: bool = True  # the design has no error diagnostic

    def depends_on(self, module: str) -> bool:
        """True for ``Shop.Accounts`` itself, one of its modules, or its bare name."""
        short = module.rsplit(".", 1)[-1]
        return any(
            dep in (module, short) or dep.startswith(module + ".") for dep in self.dependencies
        )


@dataclass(frozen=True)
class ArchitectureGraph:
    contexts: tuple[ContextNode, ...]

    def others(self, module: str) -> list[ContextNode]:
        return [node for node in self.contexts if node.module != module]

    def dependents_of(self, module: str) -> list[ContextNode]:
        return [node for node in self.others(module) if node.depends_on(module)]


def load_architecture(
    root: Path, design_dir: str, options: ValidationOptions | None = None
) -> ArchitectureGraph:
    base = root / design_dir
    nodes = []
    for path in design_files(root, base)[:MAX_DESIGNS]:
        node = _read_node(root, base, path, options)
        if node is not None:
            nodes.append(node)
    return ArchitectureGraph(tuple(nodes))


def _read_node(
    root: Path, base: Path, path: Path, options: ValidationOptions | None
) -> ContextNode | None:
    limit = (options or ValidationOptions()).max_file_bytes
    try:
        if not resolves_inside(root, path):  # listed, then replaced by a link
            log.warning("skipping design %s: it links outside the workspace", path)
            return None
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        log.warning("skipping design %s: cannot be read (%s)", path, exc)
        return None
    report = validate_design(data, options)
    design = report.design
    if design is None:
        log.warning("skipping design %s: it does not parse", path)
        return None
    module = module_for_design(PurePosixPath(path.relative_to(base).as_posix()))
    return ContextNode(
        module=module,
        title=design.title or module.rsplit(".", 1)[-1],
        purpose=" ".join((design.purpose or "").split()),
        dependencies=tuple(dep.module for dep in design.dependencies),
        design_file=PurePosixPath(path.relative_to(root).as_posix()),
        valid=not report.has_errors,
    )
