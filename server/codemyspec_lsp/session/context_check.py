"""A context name checked before a session starts (``codemyspec/checkContext``).

Editors ask while the user types: is the name one the server accepts (the very rule
``startSession`` applies), where would its design go, is that design there and valid, and
which sessions already exist for the context. A refused name is an answer, not an error:
``valid`` is false and ``message`` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemyspec_lsp.session.errors import InvalidParams
from codemyspec_lsp.session.models import Session
from codemyspec_lsp.session.steps.validate_design import read_bounded
from codemyspec_lsp.workspace.config import WorkspaceConfig
from codemyspec_lsp.workspace.paths import contained, resolve_context


@dataclass(frozen=True)
class ContextCheck:
    valid: bool
    message: str | None
    name: str
    module: str | None = None
    design_file: str | None = None
    design_exists: bool = False
    design_valid: bool | None = None
    sessions: list[tuple[str, str]] = field(default_factory=list)  # (id, status)

    def dump(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "message": self.message,
            "name": self.name,
            "module": self.module,
            "designFile": self.design_file,
            "designExists": self.design_exists,
            "designValid": self.design_valid,
            "sessions": [{"id": id_, "status": status} for id_, status in self.sessions],
        }


def check_context(
    context: str,
    root: Path,
    config: WorkspaceConfig,
    open_document: Callable[[Path], str | None],
    sessions: Callable[[], Iterable[Session]],
) -> ContextCheck:
    """What starting a session for ``context`` would do; never raises for a bad name."""
    try:
        target = resolve_context(context, config.project_module, config.design.dir)
        path = contained(root, config.design.dir, target.design_file)
    except InvalidParams as refused:
        return ContextCheck(valid=False, message=refused.message, name=context)
    exists, valid = _design_state(path, config, target.module, open_document)
    return ContextCheck(
        valid=True,
        message=None,
        name=target.name,
        module=target.module,
        design_file=target.design_file.as_posix(),
        design_exists=exists,
        design_valid=valid,
        sessions=[(s.id, s.status) for s in sessions() if s.context.module == target.module],
    )


def _design_state(
    path: Path,
    config: WorkspaceConfig,
    module: str,
    open_document: Callable[[Path], str | None],
) -> tuple[bool, bool | None]:
    """(exists, valid): the open buffer when there is one, else the disk; None if unreadable."""
    text: str | bytes | None = open_document(path)
    if text is None:
        if not path.is_file():
            return False, None
        try:
            text = read_bounded(path, config.design.max_file_bytes)
        except OSError:
            return True, None
    from codemyspec_lsp.design.validator import validate_design  # noqa: PLC0415 (options.py)

    report = validate_design(text, config.validation_options(module))
    return True, not report.has_errors
