"""One small named rule per diagnostic code (design-format.md, "Diagnostics").

A rule reads the ParsedDesign and the options and yields Diagnostics; ``@rule`` adds it to
``RULES``, which the validator runs in order. Adding a check is writing one function
here. CMS001 is the exception: it decides whether there is a document to parse at all,
so ``read_input`` runs before the parser.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from codemyspec_lsp.design.component_rules import _checked, is_module_name
from codemyspec_lsp.design.component_rules import diagnostic as _diag
from codemyspec_lsp.design.diagnostics import Diagnostic, Position, Range, Severity
from codemyspec_lsp.design.parser import ParsedDesign, SectionEntry
from codemyspec_lsp.design.sections import (
    KNOWN_SECTIONS,
    normalize_title,
    section_for,
)

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationOptions

Rule = Callable[[ParsedDesign, "ValidationOptions"], Iterable[Diagnostic]]
RULES: list[Rule] = []

_NEAR_MISS_CUTOFF = 0.8
_FILE_START = Range(Position(0, 0), Position(0, 0))
_KNOWN_KEYS = [spec.key for spec in KNOWN_SECTIONS]


def rule(check: Rule) -> Rule:
    RULES.append(check)
    return check


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
