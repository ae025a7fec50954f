"""The parsed design (the "changeset"): pydantic models with camelCase JSON.

``ContextDesign.dump()`` gives the JSON shape of ``codemyspec validate --format json`` and
of the session's stored design.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    def dump(self) -> dict[str, Any]:
        """JSON-ready dict with camelCase keys."""
        return self.model_dump(mode="json", by_alias=True)


class Component(_CamelModel):
    module_name: str
    # Lower-cased as written (validity is a diagnostic, not a parse failure); "" if absent.
    type: str = ""
    description: str = ""
    # Every row of the field/value table, field lower-cased: {"type": "schema", "table": ...}.
    table: dict[str, str] = Field(default_factory=dict)


class Dependency(_CamelModel):
    module: str
    reason: str | None = None


class ContextDesign(_CamelModel):
    title: str | None = None
    purpose: str | None = None
    entity_ownership: str | None = None
    access_patterns: str | None = None
    public_api: str | None = None
    state_management_strategy: str | None = None
    execution_flow: str | None = None
    test_strategies: str | None = None
    test_assertions: str | None = None
    components: list[Component] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    # Sections with titles outside the known ten, keyed by the title as written.
    other_sections: dict[str, str] = Field(default_factory=dict)
