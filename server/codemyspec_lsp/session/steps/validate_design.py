"""validate_design: a noop for the client; the server validates when the result comes back.

The text validated is the editor's open buffer when the file is open, else the disk. The
stored result is overridden with the verdict: ``error`` listing every error one per line
(``line:col CODE message``, 1-based), ``warning`` with only warnings, ``ok`` otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from codemyspec_lsp.design.diagnostics import Diagnostic
from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.errors import InvalidParams
from codemyspec_lsp.session.models import Command, Result, Session
from codemyspec_lsp.session.steps.base import StepContext, replace_latest_result

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationReport


def read_bounded(path: Path, limit: int) -> bytes:
    """At most one byte past ``limit``: enough for the validator to say "too large"."""
    with path.open("rb") as file:
        return file.read(limit + 1)


def error_line(diagnostic: Diagnostic) -> str:
    start = diagnostic.range.start
    return f"{start.line + 1}:{start.character + 1} {diagnostic.code} {diagnostic.message}"


class ValidateDesign:
    name: StepName = "validate_design"

    def command(self, ctx: StepContext, session: Session) -> Command:
        return ctx.new_command(
            self.name,
            "noop",
            f"Validate {session.context.design_file} (the server does it)",
            metadata={"designFile": session.context.design_file},
        )

    def handle_result(self, ctx: StepContext, session: Session, result: Result) -> Session:
        try:
            path = ctx.design_path(session)
        except InvalidParams:
            return self._missing(session, result, "lies outside the workspace")
        text = ctx.open_document(path)
        data: str | bytes
        if text is not None:
            data = text
        else:
            try:
                data = read_bounded(path, ctx.config.design.max_file_bytes)
            except FileNotFoundError:
                return self._missing(session, result, "does not exist")
            except OSError as exc:
                return self._missing(session, result, f"cannot be read ({exc.strerror})")
        # Imported here, not at the top: a session starts without loading the parser.
        from codemyspec_lsp.design.validator import validate_design  # noqa: PLC0415

        report = validate_design(data, ctx.validation_options(session))
        ctx.on_validated(path, report)
        return self._verdict(session, result, report)

    def _verdict(self, session: Session, result: Result, report: ValidationReport) -> Session:
        errors = [error_line(d) for d in report.errors]
        warnings = [error_line(d) for d in report.warnings]
        status = "error" if errors else "warning" if warnings else "ok"
        verdict = result.model_copy(
            update={
                "status": status,
                "error_message": "\n".join(errors) if errors else None,
                "data": {
                    "designFile": session.context.design_file,
                    "errors": errors,
                    "warnings": warnings,
                },
            }
        )
        state = {
            **session.state,
            "design": report.design.dump() if report.design is not None else None,
            "validation": {"errors": len(errors), "warnings": len(warnings)},
        }
        return replace_latest_result(session.model_copy(update={"state": state}), verdict)

    def _missing(self, session: Session, result: Result, why: str) -> Session:
        message = f"the design file {session.context.design_file} {why}"
        verdict = result.model_copy(
            update={
                "status": "error",
                "error_message": message,
                "data": {"designFile": session.context.design_file},
            }
        )
        state = {**session.state, "design": None, "validation": {"errors": 1, "warnings": 0}}
        return replace_latest_result(session.model_copy(update={"state": state}), verdict)
