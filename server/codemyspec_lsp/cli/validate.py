"""`codemyspec validate [--format text|json] PATH…`: validate design files (protocol.md).

Directories are searched recursively for ``*.md`` (sorted, so output is stable). A file
inside a workspace (a folder holding ``.codemyspec/``) is validated with that workspace's
``config.toml`` (required sections, size limit), as the editor validates it. Given a
directory inside a workspace, the designs are also checked against each other (CMS130-132,
architecture.md), against every design of that workspace. Exit status:
0 when no file has an error, 1 when some file has, 2 for a usage error (a path that does
not exist or cannot be read).

A file of a workspace that is a symbolic link to outside that workspace is not read (the
workspace's one rule, :func:`resolves_inside`): found in a directory it is skipped with a
note on stderr; named on the command line it is refused like an unreadable file.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from codemyspec_lsp.architecture.checks import cross_file_diagnostics
from codemyspec_lsp.architecture.index import workspace_index
from codemyspec_lsp.design.diagnostics import Diagnostic
from codemyspec_lsp.design.validator import ValidationOptions, ValidationReport, validate_design
from codemyspec_lsp.workspace.config import CONFIG_PATH, load_config
from codemyspec_lsp.workspace.paths import resolves_inside

OK = 0
HAS_ERRORS = 1
USAGE_ERROR = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate context design files",
        description="Validate context design Markdown files (directories: every *.md inside).",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    parser.set_defaults(handler=run)


def design_files(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """The files to validate, each with whether it was named: each file as given, each
    directory's ``*.md`` sorted."""
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            files.extend((p, False) for p in sorted(path.rglob("*.md")) if p.is_file())
        else:
            files.append((path, True))
    return files


def workspace_of(path: Path) -> Path | None:
    """The innermost folder holding ``.codemyspec/`` among the parents of ``path`` as
    written (a link's own place, not its target), else of its resolved path."""
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        root = next((d for d in candidate.parents if (d / CONFIG_PATH.parent).is_dir()), None)
        if root is not None:
            return root
    return None


class Checked(NamedTuple):
    path: Path
    report: ValidationReport
    docs_base: str | None  # where its diagnostics link to (None: the installed page)


class WorkspaceOptions:
    """Per workspace (None: none), each config read once: the validation options and the
    docs base URL diagnostics link under (None: the installed page)."""

    def __init__(self) -> None:
        self._by_root: dict[Path | None, tuple[ValidationOptions, str | None]] = {}

    def for_root(self, root: Path | None) -> tuple[ValidationOptions, str | None]:
        if root not in self._by_root:
            self._by_root[root] = self._load(root)
        return self._by_root[root]

    @staticmethod
    def _load(root: Path | None) -> tuple[ValidationOptions, str | None]:
        if root is None:
            return ValidationOptions(), None
        config, problem = load_config(root)
        if problem is not None:
            print(
                f"codemyspec validate: {problem.path}: {problem.message} (using the defaults)",
                file=sys.stderr,
            )
        return config.validation_options(), config.docs.base_url


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"codemyspec validate: {path}: no such file or directory", file=sys.stderr)
        return USAGE_ERROR
    results: list[Checked] = []
    options = WorkspaceOptions()
    unreadable = False
    for path, named in design_files(args.paths):
        root = workspace_of(path)
        if root is not None and not resolves_inside(root, path):
            note = "refused" if named else "skipped"
            print(
                f"codemyspec validate: {path}: {note}: it links outside the workspace {root}",
                file=sys.stderr,
            )
            unreadable = unreadable or named
            continue
        try:
            content = path.read_bytes()
        except OSError as exc:
            print(f"codemyspec validate: {path}: {exc.strerror or exc}", file=sys.stderr)
            unreadable = True
            continue
        validation, docs_base = options.for_root(root)
        results.append(Checked(path, validate_design(content, validation), docs_base))
    results = with_cross_file(results, [p for p in args.paths if p.is_dir()])
    if args.format == "json":
        _write_json(results)
    else:
        _write_text(results)
    if unreadable:
        return USAGE_ERROR
    return HAS_ERRORS if any(checked.report.has_errors for checked in results) else OK


def workspace_root(path: Path) -> Path | None:
    """The workspace a directory is (holds ``.codemyspec/``) or lies in, if any."""
    return path.resolve() if (path / CONFIG_PATH.parent).is_dir() else workspace_of(path)


def with_cross_file(results: list[Checked], directories: list[Path]) -> list[Checked]:
    """Add the diagnostics across files to the designs of the workspaces of ``directories``."""
    roots = {root for d in directories if (root := workspace_root(d)) is not None}
    found: dict[Path, list[Diagnostic]] = {}
    for root in sorted(roots):
        index = workspace_index(root, load_config(root)[0])
        index.load()
        graph = index.graph()
        for path, facts in index:
            found.setdefault(path, []).extend(cross_file_diagnostics(graph, facts))
    if not found:
        return results
    merged = []
    for checked in results:
        extra = found.get(checked.path.resolve(), [])
        diagnostics = sorted(
            [*checked.report.diagnostics, *extra],
            key=lambda d: (d.range.start.line, d.range.start.character),
        )
        report = dataclasses.replace(checked.report, diagnostics=diagnostics)
        merged.append(checked._replace(report=report))
    return merged


def _write_text(results: list[Checked]) -> None:
    lines = [
        diagnostic.format_text(str(checked.path))
        for checked in results
        for diagnostic in checked.report.diagnostics
    ]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")


def _write_json(results: list[Checked]) -> None:
    payload = [
        {
            "path": str(checked.path),
            "diagnostics": [d.to_lsp(checked.docs_base) for d in checked.report.diagnostics],
            "design": None if checked.report.design is None else checked.report.design.dump(),
        }
        for checked in results
    ]
    sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")
