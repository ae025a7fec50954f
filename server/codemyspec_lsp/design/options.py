"""What a validation is asked to check: a module of its own, light to import, so that the
workspace configuration and the session core can name it without loading the parser, the
Markdown library and the pydantic model (which the first validation loads)."""

from __future__ import annotations

from dataclasses import dataclass

from codemyspec_lsp.design.sections import ALL_SECTION_KEYS

DEFAULT_MODULE_PATTERN = r"^[A-Z][A-Za-z0-9_.]*$"


@dataclass(frozen=True)
class ValidationOptions:
    required_sections: tuple[str, ...] = ALL_SECTION_KEYS  # lower-case titles
    max_file_bytes: int = 2 * 1024 * 1024
    module_pattern: str = DEFAULT_MODULE_PATTERN
    context_module: str | None = None  # e.g. "Shop.Accounts": used in CMS113 fix data
