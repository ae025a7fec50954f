"""The known sections of a context design and the allowed component types.

One place for the vocabulary of the document: the generate prompt, hover, completion
and quick fixes read the titles, guidance and placeholders from here, and the
validator matches headings against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class SectionSpec:
    """One known H2 section.

    ``key`` is the lower-case title (what ``ValidationOptions.required_sections`` and the
    workspace's ``requiredSections`` hold); ``field`` names the ``ContextDesign`` attribute
    holding the section's text (``None`` for Components and Dependencies, which are parsed
    into structured lists instead).
    """

    key: str
    title: str
    guidance: str
    placeholder: str
    field: str | None = None


KNOWN_SECTIONS: Final[tuple[SectionSpec, ...]] = (
    SectionSpec(
        key="purpose",
        title="Purpose",
        guidance=(
            "One or two sentences on why this context exists: the business capability it "
            "owns and the boundary it draws around it."
        ),
        placeholder="Describe what this context is responsible for.",
        field="purpose",
    ),
    SectionSpec(
        key="entity ownership",
        title="Entity Ownership",
        guidance=(
            "A bullet list of the entities (schemas, records) this context creates and "
            "changes; no other context writes them."
        ),
        placeholder="- Entity: what it represents",
        field="entity_ownership",
    ),
    SectionSpec(
        key="access patterns",
        title="Access Patterns",
        guidance=(
            "How data is read and filtered: scoping (per user, per tenant), the lookups "
            "callers rely on, and any access rule every query must respect."
        ),
        placeholder="- How records are looked up and scoped",
        field="access_patterns",
    ),
    SectionSpec(
        key="public api",
        title="Public API",
        guidance=(
            "The functions other contexts may call, with typespecs, in a fenced code "
            "block; everything else is private to the context."
        ),
        placeholder="```elixir\n@spec function_name(args) :: result\n```",
        field="public_api",
    ),
    SectionSpec(
        key="state management strategy",
        title="State Management Strategy",
        guidance=(
            "Where the state lives (database, process, cache), how long it lives and how "
            "it stays consistent under concurrent changes."
        ),
        placeholder="Describe where state is kept and how it stays consistent.",
        field="state_management_strategy",
    ),
    SectionSpec(
        key="execution flow",
        title="Execution Flow",
        guidance=(
            "A numbered list walking through the main operation step by step, from the "
            "public call to the side effects."
        ),
        placeholder="1. First step of the main operation",
        field="execution_flow",
    ),
    SectionSpec(
        key="dependencies",
        title="Dependencies",
        guidance=(
            "A bullet list with one module per item, optionally followed by `: reason`; "
            "write a single `- None` when the context depends on nothing."
        ),
        placeholder="- None",
    ),
    SectionSpec(
        key="components",
        title="Components",
        guidance=(
            "One H3 per module, named with its qualified module name, followed by a "
            "`field | value` table with at least a `type` row and a one-paragraph description."
        ),
        placeholder=(
            "### Context.Component\n\n| field | value |\n| ----- | ----- |\n| type  | other |\n\n"
            "What this component does."
        ),
    ),
    SectionSpec(
        key="test strategies",
        title="Test Strategies",
        guidance=(
            "How the context is tested: which levels (unit, integration), fixtures, and "
            "what is faked or sandboxed."
        ),
        placeholder="Describe how this context is tested.",
        field="test_strategies",
    ),
    SectionSpec(
        key="test assertions",
        title="Test Assertions",
        guidance=(
            "A bullet list of concrete behaviours the tests must prove, one observable "
            "outcome per item."
        ),
        placeholder="- The behaviour a test must prove",
        field="test_assertions",
    ),
)

ALL_SECTION_KEYS: Final[tuple[str, ...]] = tuple(spec.key for spec in KNOWN_SECTIONS)

# Allowed component types (compared case-insensitively) and what each one means.
COMPONENT_TYPES: Final[dict[str, str]] = {
    "genserver": "a long-lived process holding state behind a message interface",
    "context": "a public boundary module grouping the operations of one domain",
    "coordination_context": "a context that orchestrates other contexts without owning data",
    "schema": "an Ecto schema: the shape and changesets of one persisted entity",
    "repository": "queries and writes for one entity, kept out of the context module",
    "task": "a one-off or supervised unit of asynchronous work",
    "registry": "a lookup of processes or resources by key",
    "behaviour": "a contract (callbacks) that other modules implement",
    "liveview": "a Phoenix LiveView rendering and handling events for one page",
    "other": "anything that fits none of the types above",
}

_BY_KEY: Final[dict[str, SectionSpec]] = {spec.key: spec for spec in KNOWN_SECTIONS}


def normalize_title(title: str) -> str:
    """Lower-case with runs of white space collapsed: how headings are compared."""
    return " ".join(title.split()).lower()


def section_for(title: str) -> SectionSpec | None:
    """The known section a heading's title names (case-insensitive, white space trimmed)."""
    return _BY_KEY.get(normalize_title(title))
