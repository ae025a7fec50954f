"""Diagnostics as the core produces them: plain data with LSP's numbering, no LSP types.

Lines and characters are 0-based, characters counted in UTF-16 code units as LSP wants
by default. ``to_lsp`` gives the JSON of an LSP ``Diagnostic``; ``format_text`` the
``path:line:col: severity CODE message`` line of ``codemyspec validate`` (1-based).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from codemyspec_lsp.protocol import DIAGNOSTIC_SOURCE

# Where a diagnostic's code links to (LSP codeDescription.href): its section of
# docs/diagnostics.md, rendered by the repository host, whose heading anchors are the codes
# in lower case (`#cms101`). A web address is the one link every editor opens (VS Code and
# Neovim hand it to the browser), also for a diagnostic from `codemyspec validate --format
# json`; a file: link into the installed package would name a path of one machine only.
# This is the one place to change when the repository moves.
REPOSITORY_URL = "https://github.com/codemyspec/codemyspec-lsp"
DOCS_URL = f"{REPOSITORY_URL}/blob/main/docs/diagnostics.md"


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

    def to_lsp(self) -> dict[str, Any]:
        lsp: dict[str, Any] = {
            "range": self.range.to_lsp(),
            "severity": int(self.severity),
            "code": self.code,
            "codeDescription": {"href": f"{DOCS_URL}#{self.code.lower()}"},
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
