"""The five self-check tools as plain functions of a workspace (agents.md, "Self-check").

No MCP here: :mod:`codemyspec_lsp.mcp_server.server` adapts these to the SDK. Every answer
comes from the code the language server uses (the validator, the workspace config, the
stories, the rules, the architecture index and its graph), read fresh on each call so an
edit the agent just made is seen. Read-only. A request that cannot be answered raises
:class:`ToolRefused` with a sentence the agent can act on; nothing else escapes.

Lines and columns are 1-based (columns in UTF-16 code units, as ``codemyspec validate``
prints them).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from codemyspec_lsp.architecture.checks import error_count
from codemyspec_lsp.architecture.index import workspace_index
from codemyspec_lsp.design.diagnostics import Diagnostic
from codemyspec_lsp.design.rules import too_large
from codemyspec_lsp.design.validator import ValidationOptions, ValidationReport, validate_design
from codemyspec_lsp.session.errors import CodeMySpecError
from codemyspec_lsp.workspace.config import CONFIG_PATH, WorkspaceConfig, load_config
from codemyspec_lsp.workspace.paths import (
    ContextTarget,
    contained,
    resolve_context,
    resolves_inside,
)
from codemyspec_lsp.workspace.rules import ANY, load_rules
from codemyspec_lsp.workspace.stories import stories_for

MAX_ARGUMENT_CHARS = 4096  # a path, module or type longer than this is not one


class ToolRefused(Exception):
    """A tool call that cannot be answered; the message says why and what to do instead."""


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """``{"code", "severity", "line", "column", "message"}``, 1-based."""
    start = diagnostic.range.start
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.label,
        "line": start.line + 1,
        "column": start.character + 1,
        "message": diagnostic.message,
    }


def find_workspace(start: Path) -> Path:
    """The nearest folder holding ``.codemyspec/`` at or above ``start``, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_PATH.parent).is_dir():
            return folder
    return start


class WorkspaceTools:
    """The tools' answers for one workspace root."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    # -- the five tools -------------------------------------------------------------

    def validate_design(self, path: str | None = None, text: str | None = None) -> dict[str, Any]:
        """``{"path"}`` validates the file; ``{"text", "path"?}`` validates the text given."""
        options = self.config().validation_options()
        if text is not None:
            if path is not None:
                self.resolve(path, must_exist=False)  # named, so it must lie inside
            report = validate_design(text, options)
        elif path is not None:
            report = self._validate_file(self.resolve(path), options)
        else:
            raise ToolRefused(
                "give either 'path' (a design file relative to the workspace) or 'text' "
                "(the design's Markdown)"
            )
        return {"valid": not report.has_errors, "diagnostics": self._diagnostics(report)}

    def list_contexts(self) -> list[dict[str, Any]]:
        """Every context of the workspace's architecture index, as ``codemyspec graph`` sees
        it: ``valid`` counts the design's own errors and its dependency cycles."""
        index = workspace_index(self.root, self.config())
        index.load()
        graph = index.graph()
        return [
            {
                "module": module,
                "designFile": str(facts.relative),
                "title": facts.title,
                "valid": error_count(graph, facts) == 0,
                "dependencies": [dependency.module for dependency in facts.dependencies],
            }
            for module, facts in sorted(graph.contexts.items())
        ]

    def get_design(self, module: str) -> dict[str, Any]:
        config = self.config()
        target = self._context(module, config, "module")
        try:
            path = contained(self.root, config.design.dir, target.design_file)
        except CodeMySpecError as exc:
            raise ToolRefused(exc.message) from exc
        if not path.is_file():
            raise ToolRefused(
                f"there is no design of {target.module}: {target.design_file} does not exist "
                "(list_contexts lists the designs that do)"
            )
        options = config.validation_options(target.module)
        data = self._read(path, options.max_file_bytes)
        if data is None:
            raise ToolRefused(
                f"{target.design_file} is larger than design.max_file_bytes "
                f"({options.max_file_bytes:,} bytes): it is not returned"
            )
        report = validate_design(data, options)
        return {
            "designFile": str(target.design_file),
            "text": data.decode("utf-8", errors="replace"),
            "diagnostics": self._diagnostics(report),
        }

    def stories_for(self, context: str) -> list[dict[str, Any]]:
        target = self._context(context, self.config(), "context")
        return [
            {"title": story.title, "text": story.body}
            for story in stories_for(self.root, target.name, target.module)
        ]

    def rules_for(
        self, component_type: str | None = None, session_type: str | None = None
    ) -> list[dict[str, Any]]:
        """Rules matching each criterion given (a rule's ``*`` matches anything)."""
        for name, value in (("componentType", component_type), ("sessionType", session_type)):
            if value is not None and len(value) > MAX_ARGUMENT_CHARS:
                raise ToolRefused(f"{name} is longer than {MAX_ARGUMENT_CHARS} characters")
        return [
            {"name": rule.path.stem, "text": rule.body}
            for rule in load_rules(self.root)
            if (component_type is None or rule.component_type in (ANY, component_type))
            and (session_type is None or rule.session_type in (ANY, session_type))
        ]

    # -- shared ---------------------------------------------------------------------

    def config(self) -> WorkspaceConfig:
        """The workspace's config.toml (its defaults when it is broken, as the editor does)."""
        return load_config(self.root)[0]

    def resolve(self, raw: str, *, must_exist: bool = True) -> Path:
        """``raw`` (relative to the workspace, or absolute inside it) as a readable file.

        Refused: a path outside the workspace, a symbolic link leading out of it, a
        missing file, a folder.
        """
        if not raw.strip() or "\x00" in raw or len(raw) > MAX_ARGUMENT_CHARS:
            raise ToolRefused(f"{raw[:80]!r} is not a file path")
        given = Path(raw)
        candidate = given if given.is_absolute() else self.root / given
        inside_by_name = Path(os.path.normpath(candidate)).is_relative_to(self.root)
        if not resolves_inside(self.root, candidate):  # the workspace's one rule for reading
            if inside_by_name:
                raise ToolRefused(
                    f"{raw} is a symbolic link that leads outside the workspace "
                    f"{self.root} (or a link loop): only files inside the workspace are read"
                )
            raise ToolRefused(
                f"{raw} lies outside the workspace {self.root}: give a path relative to it"
            )
        resolved = candidate.resolve()
        if must_exist and not resolved.exists():
            raise ToolRefused(f"{raw}: no such file in the workspace {self.root}")
        if must_exist and not resolved.is_file():
            raise ToolRefused(f"{raw} is not a file")
        return resolved

    def _validate_file(self, path: Path, options: ValidationOptions) -> ValidationReport:
        data = self._read(path, options.max_file_bytes)
        if data is None:
            return ValidationReport(
                None, [too_large(path.stat().st_size, options.max_file_bytes)], None
            )
        return validate_design(data, options)

    @staticmethod
    def _read(path: Path, limit: int) -> bytes | None:
        """The file's bytes, or None when it is over ``limit`` (never reading past it)."""
        try:
            with path.open("rb") as file:
                data = file.read(limit + 1)
        except OSError as exc:
            raise ToolRefused(f"{path} cannot be read ({exc.strerror or exc})") from exc
        return None if len(data) > limit else data

    def _context(self, name: str, config: WorkspaceConfig, argument: str) -> ContextTarget:
        """The context ``name`` stands for; the refusal names the tool's ``argument``."""
        try:
            return resolve_context(name, config.project_module, config.design.dir)
        except CodeMySpecError as exc:
            message = exc.message.removeprefix("context: ")
            raise ToolRefused(f"{argument}: {message}") from exc

    @staticmethod
    def _diagnostics(report: ValidationReport) -> list[dict[str, Any]]:
        return [diagnostic_json(d) for d in report.diagnostics]
