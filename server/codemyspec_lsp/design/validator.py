"""validate_design: text or bytes in, the parsed design and its diagnostics out.

The one entry point the server, the CLI and the revise step share. It never raises: an
input that cannot be read becomes a CMS001 diagnostic.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from codemyspec_lsp.design.diagnostics import Diagnostic, Position, Range, Severity
from codemyspec_lsp.design.model import ContextDesign
from codemyspec_lsp.design.options import ValidationOptions
from codemyspec_lsp.design.parser import ParsedDesign, SourceMap, parse_design
from codemyspec_lsp.design.rules import RULES, read_input

log = logging.getLogger(__name__)


__all__ = [  # ValidationOptions lives in options.py (light to import); importable from here
    "ValidationOptions",
    "ValidationReport",
    "internal_error",
    "validate_design",
    "validate_parsed",
]


@dataclass(frozen=True)
class ValidationReport:
    design: ContextDesign | None
    diagnostics: list[Diagnostic]  # sorted by range start
    source_map: SourceMap | None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.diagnostics)


def validate_design(
    text: str | bytes, options: ValidationOptions | None = None
) -> ValidationReport:
    """Parse and validate one design document."""
    options = options or ValidationOptions()
    try:
        decoded, problem = read_input(text, options.max_file_bytes)
        if decoded is None:
            return ValidationReport(None, [problem] if problem else [], None)
        return validate_parsed(parse_design(decoded), options)
    except Exception:  # the contract: never raise, whatever the input
        log.exception("validate_design failed")
        return internal_error()


def validate_parsed(parsed: ParsedDesign, options: ValidationOptions) -> ValidationReport:
    """The rules run over a parsed design (what validate_design does after parsing)."""
    diagnostics = [d for check in RULES for d in check(parsed, options)]
    diagnostics.sort(key=lambda d: (d.range.start.line, d.range.start.character))
    return ValidationReport(parsed.design, diagnostics, parsed.source_map)


def internal_error() -> ValidationReport:
    """The report of an input the validator failed on: CMS001, asking for a bug report."""
    start = Position(0, 0)
    return ValidationReport(
        None,
        [
            Diagnostic(
                "CMS001",
                Severity.ERROR,
                Range(start, start),
                "The design could not be read (an internal error of the validator): "
                "please report it with the file.",
            )
        ],
        None,
    )
