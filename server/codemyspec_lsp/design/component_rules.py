"""The checks of one component (CMS110-CMS115), run by ``rules.component_rules``.

Also the module-name helpers the rules and the editing features share.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from codemyspec_lsp.design.diagnostics import Diagnostic, Range, Severity
from codemyspec_lsp.design.options import DEFAULT_MODULE_PATTERN
from codemyspec_lsp.design.sections import COMPONENT_TYPES
from codemyspec_lsp.design.sourcemap import ComponentEntry

if TYPE_CHECKING:
    from codemyspec_lsp.design.options import ValidationOptions

MAX_MODULE_NAME = 255
MAX_DESCRIPTION = 1500
_TYPE_CUTOFF = 0.6
_ALLOWED_TYPES = ", ".join(COMPONENT_TYPES)


def diagnostic(
    code: str, severity: Severity, where: Range, message: str, **data: object
) -> Diagnostic:
    return Diagnostic(code, severity, where, message, dict(data))


@functools.lru_cache(maxsize=16)
def module_regex(pattern: str) -> re.Pattern[str]:
    """The configured module-name pattern; a pattern that does not compile falls back."""
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(DEFAULT_MODULE_PATTERN)


@functools.lru_cache(maxsize=256)
def closest_types(given: str) -> tuple[str, ...]:
    """Allowed types close to ``given``, closest first (the same few typos recur)."""
    return tuple(difflib.get_close_matches(given, COMPONENT_TYPES, n=3, cutoff=_TYPE_CUTOFF))


def is_module_name(name: str, pattern: str) -> bool:
    return bool(name) and module_regex(pattern).fullmatch(name) is not None


def _checked(
    component: ComponentEntry, options: ValidationOptions, parent: str | None
) -> tuple[Diagnostic, ...]:
    """The component's own diagnostics, computed once per entry and options: an entry the
    incremental validator reuses after an edit elsewhere is not checked again."""
    cache: dict[tuple[ValidationOptions, str | None], tuple[Diagnostic, ...]]
    cache = component.__dict__.setdefault("_checked", {})  # frozen: no attribute setting
    found = cache.get((options, parent))
    if found is None:
        found = tuple(d for check in COMPONENT_CHECKS for d in check(component, options, parent))
        cache[(options, parent)] = found
    return found


ComponentCheck = Callable[[ComponentEntry, "ValidationOptions", "str | None"], Iterable[Diagnostic]]
# Checks of one component, run by component_rules in order; ``parent`` is the module name
# an unqualified component should be prefixed with, when known.
COMPONENT_CHECKS: list[ComponentCheck] = []


def component_check(check: ComponentCheck) -> ComponentCheck:
    COMPONENT_CHECKS.append(check)
    return check


@component_check
def missing_type_table(
    component: ComponentEntry, options: ValidationOptions, parent: str | None
) -> Iterator[Diagnostic]:
    """CMS110: no field/value table with a `type` row."""
    if component.type_row is None:
        what = "its table has no `type` row" if component.has_table else "it has no table"
        yield diagnostic(
            "CMS110",
            Severity.ERROR,
            component.heading,
            f"Component '{component.module_name}' needs a field/value table with a type row "
            f"({what}): add `| field | value |`, `| --- | --- |`, `| type | <type> |` "
            "after the heading.",
            component=component.module_name,
        )


@component_check
def invalid_type(
    component: ComponentEntry, options: ValidationOptions, parent: str | None
) -> Iterator[Diagnostic]:
    """CMS111: the type is not one of the allowed ones (any case accepted)."""
    row = component.type_row
    if row is None:
        return
    given = row.value.strip().strip("`*").strip()
    if given.lower() in COMPONENT_TYPES:
        return
    closest = list(closest_types(given.lower()))
    advice = f"did you mean '{closest[0]}'? " if closest else ""
    yield diagnostic(
        "CMS111",
        Severity.ERROR,
        row.range,
        f"Component type '{given}' is not allowed: {advice}use one of {_ALLOWED_TYPES}.",
        type=given,
        closest=closest,
    )


@component_check
def invalid_module_name(
    component: ComponentEntry, options: ValidationOptions, parent: str | None
) -> Iterator[Diagnostic]:
    """CMS112 (not a module name) or, for a valid name without a dot, CMS113."""
    name = component.module_name
    if len(name) > MAX_MODULE_NAME:
        yield diagnostic(
            "CMS112",
            Severity.ERROR,
            component.heading,
            f"Component name is {len(name)} characters long, over {MAX_MODULE_NAME}: "
            "shorten the module name.",
        )
    elif not is_module_name(name, options.module_pattern):
        yield diagnostic(
            "CMS112",
            Severity.ERROR,
            component.heading,
            f"Component name '{name}' is not a module name: write it as capitalised segments "
            "joined by dots, such as `Accounts.Account`.",
        )
    elif "." not in name:
        qualified = f"{parent}.{name}" if parent else None
        fix = f"name it '{qualified}'" if qualified else "prefix it with its context's module"
        data = {"qualified": qualified} if qualified else {}
        yield diagnostic(
            "CMS113",
            Severity.ERROR,
            component.heading,
            f"Component '{name}' is not qualified with its parent: {fix}.",
            **data,
        )


@component_check
def description_rules(
    component: ComponentEntry, options: ValidationOptions, parent: str | None
) -> Iterator[Diagnostic]:
    """CMS114 (no description) and CMS115 (longer than 1,500 characters)."""
    length = len(component.description)
    if length == 0:
        yield diagnostic(
            "CMS114",
            Severity.ERROR,
            component.heading,
            f"Component '{component.module_name}' has no description: add a paragraph after "
            "its table saying what it does.",
        )
    elif length > MAX_DESCRIPTION and component.description_range is not None:
        yield diagnostic(
            "CMS115",
            Severity.ERROR,
            component.description_range,
            f"The description of '{component.module_name}' is {length:,} characters long, "
            f"over the limit of {MAX_DESCRIPTION:,}: shorten it.",
        )
