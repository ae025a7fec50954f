"""One small named rule per diagnostic code (design-format.md, "Diagnostics").

A rule reads the ParsedDesign and the options and yields Diagnostics; ``@rule`` adds it to
``RULES``, which the validator runs in order. Adding a check is writing one function
here. CMS001 is the exception: it decides whether there is a document to parse at all,
so ``read_input`` runs before the parser.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from codemyspec_lsp.design.diagnostics import Diagnostic, Position, Range, Severity
from codemyspec_lsp.design.parser import ComponentEntry, ParsedDesign, SectionEntry
from codemyspec_lsp.design.sections import (
    COMPONENT_TYPES,
    KNOWN_SECTIONS,
    normalize_title,
    section_for,
)

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationOptions

Rule = Callable[[ParsedDesign, "ValidationOptions"], Iterable[Diagnostic]]
RULES: list[Rule] = []

DEFAULT_MODULE_PATTERN = r"^[A-Z][A-Za-z0-9_.]*$"
MAX_MODULE_NAME = 255
MAX_DESCRIPTION = 1500
_NEAR_MISS_CUTOFF = 0.8
_TYPE_CUTOFF = 0.6
_FILE_START = Range(Position(0, 0), Position(0, 0))
_KNOWN_KEYS = [spec.key for spec in KNOWN_SECTIONS]
_ALLOWED_TYPES = ", ".join(COMPONENT_TYPES)


def rule(check: Rule) -> Rule:
    RULES.append(check)
    return check


def _diag(code: str, severity: Severity, where: Range, message: str, **data: object) -> Diagnostic:
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


# -- CMS001: is there a document at all --------------------------------------------------------


def read_input(raw: str | bytes, max_bytes: int) -> tuple[str | None, Diagnostic | None]:
    """Decode and size-check the input: the text to parse, or the CMS001 that stops it."""
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        size = len(data)
        text = None
        if size <= max_bytes:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                return None, _not_utf8(exc.start)
    else:
        try:
            size = len(raw.encode("utf-8"))
        except UnicodeEncodeError as exc:  # lone surrogates: not representable as UTF-8
            return None, _not_utf8(exc.start)
        text = raw
    if size > max_bytes:
        return None, too_large(size, max_bytes)
    if text is None or not text.strip(" \t\r\n\ufeff"):
        return None, _diag(
            "CMS001",
            Severity.ERROR,
            _FILE_START,
            "The design is empty: start it with `# <Context name>` and the required sections.",
        )
    return text, None


def too_large(size: int, max_bytes: int) -> Diagnostic:
    """The CMS001 of an input over the size limit (for readers that stop at the limit)."""
    return _diag(
        "CMS001",
        Severity.ERROR,
        _FILE_START,
        f"The file is {size:,} bytes, over the limit of {max_bytes:,} bytes: "
        "split the design or shorten it.",
    )


def _not_utf8(offset: int) -> Diagnostic:
    return _diag(
        "CMS001",
        Severity.ERROR,
        _FILE_START,
        f"The file is not valid UTF-8 (at offset {offset}): save it with UTF-8 encoding.",
    )


# -- the title and the sections ------------------------------------------------------------


@rule
def missing_title(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS100: no H1 heading anywhere."""
    if parsed.source_map.title is None:
        yield _diag(
            "CMS100",
            Severity.WARNING,
            parsed.first_line_range(),
            "The design has no H1 title: add `# <Context name>` as its first line.",
        )


@rule
def missing_sections(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS101: one per required section that has no H2."""
    where = parsed.source_map.title or parsed.first_line_range()
    present = {section.key for section in parsed.source_map.sections}
    seen: set[str] = set()
    for required in options.required_sections:
        key = normalize_title(required)
        if not key or key in present or key in seen:
            continue
        seen.add(key)
        spec = section_for(key)
        title = spec.title if spec else " ".join(required.split())
        yield _diag(
            "CMS101",
            Severity.ERROR,
            where,
            f"Required section '{title}' is missing: add a `## {title}` section.",
            section=title,
        )


@rule
def empty_sections(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS102: a required section is present but has no content (its first occurrence)."""
    required = {normalize_title(r) for r in options.required_sections}
    seen: set[str] = set()
    for section in parsed.source_map.sections:
        if section.key in seen:
            continue
        seen.add(section.key)
        if section.key in required and not section.has_content:
            title = section.spec.title if section.spec else section.title
            hint = f" {section.spec.guidance}" if section.spec else ""
            yield _diag(
                "CMS102",
                Severity.ERROR,
                section.heading,
                f"Section '{title}' is empty: write its content under the heading.{hint}",
                section=title,
            )


@rule
def duplicate_sections(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS103: a section title used again (reported at each later heading)."""
    first_line: dict[str, int] = {}
    for section in parsed.source_map.sections:
        line = section.heading_line
        if section.key in first_line:
            yield _diag(
                "CMS103",
                Severity.WARNING,
                section.heading,
                f"Section '{section.title}' appears again (first at line "
                f"{first_line[section.key] + 1}): merge the two into one section.",
            )
        else:
            first_line[section.key] = line


@rule
def near_miss_sections(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS104: an unknown section whose title is close to a known one."""
    for section in parsed.source_map.sections:
        if section.spec is not None or not section.key:
            continue
        close = difflib.get_close_matches(section.key, _KNOWN_KEYS, n=1, cutoff=_NEAR_MISS_CUTOFF)
        if not close:
            continue
        known = section_for(close[0])
        assert known is not None  # close[0] comes from the known keys
        yield _diag(
            "CMS104",
            Severity.INFORMATION,
            section.heading,
            f"Unknown section '{section.title}': did you mean '{known.title}'? "
            f"Rename the heading to `## {known.title}`.",
            suggestion=known.title,
        )


# -- components ------------------------------------------------------------------------


@rule
def component_rules(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS110-CMS115 for each component, CMS116 for repeated names."""
    parent = options.context_module or parsed.source_map.title_text
    if parent is not None and not is_module_name(parent, options.module_pattern):
        parent = None
    first_line: dict[str, int] = {}
    for component in parsed.source_map.components:
        yield from _checked(component, options, parent)
        name = component.module_name
        if name in first_line:
            yield _diag(
                "CMS116",
                Severity.WARNING,
                component.heading,
                f"Component '{name}' appears twice (first at line {first_line[name] + 1}): "
                "remove or rename one of them.",
            )
        else:
            first_line[name] = component.heading_line


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
        yield _diag(
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
    yield _diag(
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
        yield _diag(
            "CMS112",
            Severity.ERROR,
            component.heading,
            f"Component name is {len(name)} characters long, over {MAX_MODULE_NAME}: "
            "shorten the module name.",
        )
    elif not is_module_name(name, options.module_pattern):
        yield _diag(
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
        yield _diag(
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
        yield _diag(
            "CMS114",
            Severity.ERROR,
            component.heading,
            f"Component '{component.module_name}' has no description: add a paragraph after "
            "its table saying what it does.",
        )
    elif length > MAX_DESCRIPTION and component.description_range is not None:
        yield _diag(
            "CMS115",
            Severity.ERROR,
            component.description_range,
            f"The description of '{component.module_name}' is {length:,} characters long, "
            f"over the limit of {MAX_DESCRIPTION:,}: shorten it.",
        )


def _sections_lacking(
    parsed: ParsedDesign, key: str, has: Callable[[SectionEntry], bool]
) -> Iterator[SectionEntry]:
    """Sections titled ``key`` with content that lacks what ``has`` looks for."""
    for section in parsed.source_map.sections:
        if section.key == key and section.has_content and not has(section):
            yield section


@rule
def components_without_h3(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS117: the Components section has content but no H3 component."""
    for section in _sections_lacking(parsed, "components", lambda s: s.component_count > 0):
        yield _diag(
            "CMS117",
            Severity.WARNING,
            section.heading,
            "The Components section has content but no component: write each component "
            "as `### Context.Module` followed by its field/value table and description.",
        )


# -- dependencies ----------------------------------------------------------------------


@rule
def invalid_dependencies(parsed: ParsedDesign, options: ValidationOptions) -> Iterator[Diagnostic]:
    """CMS120: a list item under Dependencies that is not a module name."""
    for dependency in parsed.source_map.dependencies:
        if not is_module_name(dependency.module, options.module_pattern):
            yield _diag(
                "CMS120",
                Severity.ERROR,
                dependency.range,
                f"Dependency '{dependency.module}' is not a module name: write one module per "
                "item, such as `- Shop.Repo` or `- Shop.Repo: reason`.",
            )


@rule
def dependencies_without_list(
    parsed: ParsedDesign, options: ValidationOptions
) -> Iterator[Diagnostic]:
    """CMS121: the Dependencies section has content but no list."""
    for section in _sections_lacking(parsed, "dependencies", lambda s: s.has_list):
        yield _diag(
            "CMS121",
            Severity.WARNING,
            section.heading,
            "The Dependencies section has no list: write one `- Module: reason` item per "
            "dependency, or a single `- None`.",
        )
