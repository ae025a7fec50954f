"""Diagnostics as the core produces them: plain data with LSP's numbering, no LSP types.

Lines and characters are 0-based, characters counted in UTF-16 code units as LSP wants
by default. ``to_lsp`` gives the JSON of an LSP ``Diagnostic``; ``format_text`` the
``path:line:col: severity CODE message`` line of ``codemyspec validate`` (1-based).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from codemyspec_lsp.docs import code_href
from codemyspec_lsp.protocol import DIAGNOSTIC_SOURCE


class Severity(IntEnum):
    """LSP's DiagnosticSeverity values."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Position:
    line: int
    character: int

    def to_lsp(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}


@dataclass(frozen=True, order=True)
class Range:
    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, start: int, end: int, end_line: int | None = None) -> Range:
        return cls(Position(line, start), Position(line if end_line is None else end_line, end))

    def to_lsp(self) -> dict[str, Any]:
        return {"start": self.start.to_lsp(), "end": self.end.to_lsp()}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    range: Range
    message: str
    # Facts a quick fix needs (the missing section's title, the closest type, ...).
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_lsp(self, docs_base: str | None = None) -> dict[str, Any]:
        """The LSP JSON; the code links to its section of the diagnostics page under
        ``docs_base`` (None: the copy installed with the package, see `codemyspec_lsp.docs`)."""
        lsp: dict[str, Any] = {
            "range": self.range.to_lsp(),
            "severity": int(self.severity),
            "code": self.code,
            "codeDescription": {"href": code_href(self.code, docs_base)},
            "source": DIAGNOSTIC_SOURCE,
            "message": self.message,
        }
        if self.data:
            lsp["data"] = self.data
        return lsp

    def format_text(self, path: str) -> str:
        start = self.range.start
        return (
            f"{path}:{start.line + 1}:{start.character + 1}: "
            f"{self.severity.label} {self.code} {self.message}"
        )
