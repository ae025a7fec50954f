"""How the driver prints a failed validation: `path:line:col: severity CODE message`."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from codemyspec_lsp.cli.driver import diagnostic_line, message_lines
from codemyspec_lsp.session.models import Result


def test_pushed_diagnostics_print_one_based_positions(tmp_path: Path):
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(48, 0), types.Position(48, 12)),
        message="Component 'LineItem' is not qualified",
        severity=types.DiagnosticSeverity.Error,
        code="CMS113",
    )
    line = diagnostic_line(tmp_path / "orders.md", diagnostic)
    assert (
        line == f"{tmp_path / 'orders.md'}:49:1: error CMS113 Component 'LineItem' is not qualified"
    )


def test_without_pushed_diagnostics_the_result_says_the_same(tmp_path: Path):
    result = Result(
        status="error",
        error_message="1:1 CMS101 Required section 'Test Assertions' is missing",
        data={
            "errors": ["1:1 CMS101 Required section 'Test Assertions' is missing"],
            "warnings": ["7:1 CMS103 Section 'Purpose' appears twice"],
        },
    )
    path = tmp_path / "orders.md"
    assert message_lines(path, result) == [
        f"{path}:1:1: error CMS101 Required section 'Test Assertions' is missing",
        f"{path}:7:1: warning CMS103 Section 'Purpose' appears twice",
    ]


def test_a_message_without_a_position_still_names_the_file(tmp_path: Path):
    result = Result(status="error", error_message="the design file x.md does not exist")
    path = tmp_path / "x.md"
    assert message_lines(path, result) == [f"{path}: error the design file x.md does not exist"]
