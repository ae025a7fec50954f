"""The project's map of contexts for the generate prompt, read from the one architecture
index (`codemyspec_lsp.architecture`): the editor, `codemyspec graph`, the MCP tools and
the prompt see the same designs the same way.

Each design gives its module (from its path), title, Purpose, Dependencies and the
function heads of its Public API, so a new design can depend on what exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codemyspec_lsp.architecture.facts import DesignFacts
from codemyspec_lsp.architecture.modules import KnownModules
from codemyspec_lsp.design.options import ValidationOptions

MAX_DESIGNS = 500  # a map larger than this would swamp the prompt anyway
MAX_HEADS = 12  # function heads per context in the prompt
MAX_HEAD_LENGTH = 120

# `list_products(maker_id)`, `Catalog.get_product!(id)`, `def reserve(id, n)` in code.
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_HEAD = re.compile(r"^(?:def\s+|defp\s+|@spec\s+)?(?:[A-Z][\w.]*\.)?[a-z_][\w]*[?!]?\s*\(")


@dataclass(frozen=True)
class ContextNode:
    module: str
    title: str
    purpose: str
    dependencies: tuple[str, ...]
    design_file: PurePosixPath  # relative to the workspace root
    valid: bool = True  # the design has no error diagnostic
    public_api: tuple[str, ...] = ()  # function heads of its Public API section

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


def function_heads(public_api: str, limit: int = MAX_HEADS) -> tuple[str, ...]:
    """The function heads a Public API section names: code spans and code lines that look
    like a call (``name(args)``), in order, each once, at most ``limit``."""
    found: list[str] = []
    candidates = [m.group(1) for m in _CODE_SPAN.finditer(public_api)]
    candidates += [line.strip() for line in public_api.splitlines() if "`" not in line]
    for candidate in candidates:
        head = " ".join(candidate.split()).removesuffix(" do").rstrip(",:")
        head = re.sub(r"^defp?\s+", "", head)
        if _HEAD.match(head) and ")" in head and head not in found:
            found.append(
                head if len(head) <= MAX_HEAD_LENGTH else head[: MAX_HEAD_LENGTH - 1] + "…"
            )
        if len(found) == limit:
            break
    return tuple(found)


def node_of(facts: DesignFacts) -> ContextNode:
    return ContextNode(
        module=facts.module,
        title=facts.title,
        purpose=facts.purpose,
        dependencies=tuple(dep.module for dep in facts.dependencies),
        design_file=facts.relative,
        valid=facts.errors == 0,
        public_api=function_heads(facts.public_api),
    )


def load_architecture(
    root: Path, design_dir: str, options: ValidationOptions | None = None
) -> ArchitectureGraph:
    """Every design that parses (at most MAX_DESIGNS), read through the index."""
    # Imported on first use: the index loads the validator, which a session's start does
    # not need (the first generate step does).
    from codemyspec_lsp.architecture.index import DesignIndex  # noqa: PLC0415

    root = root.resolve()
    index = DesignIndex(
        root, (root / design_dir).resolve(), KnownModules("", ()), options or ValidationOptions()
    )
    index.load(limit=MAX_DESIGNS)
    return ArchitectureGraph(tuple(node_of(facts) for _, facts in index if facts.parsed))
