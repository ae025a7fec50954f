"""The workspace folders the server serves: one SessionService (one store) per folder.

A `Project` also caches what the loop asks on every keystroke (the design directory,
the validation options, the design files of active sessions), so that deciding whether
a document gets diagnostics never waits for the store thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemyspec_lsp.lsp.documents import path_to_uri, uri_to_path
from codemyspec_lsp.session.errors import InvalidParams

if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationOptions
    from codemyspec_lsp.session.service import SessionService


@dataclass(frozen=True)
class SessionRef:
    """What the server needs to know of a stored session between requests."""

    module: str
    design_file: str
    active: bool


@dataclass
class Project:
    uri: str
    root: Path
    service: SessionService
    design_dir: Path
    options: ValidationOptions
    docs_base: str | None = None  # where diagnostics link to; None: the installed page
    # Refreshed by the session watcher from the store: a few facts per session, not the
    # summaries themselves (those carry the parsed design and would grow with history).
    stamp: int | None = None
    sessions: dict[str, SessionRef] = field(default_factory=dict)
    session_files: frozenset[Path] = frozenset()

    def refresh_config(self) -> None:
        """Re-read what the service derived from the config (store thread)."""
        self.design_dir = self.service.design_dir().resolve()
        self.options = self.service.validation_options()
        self.docs_base = self.service.config.docs.base_url

    @property
    def config_file(self) -> Path:
        from codemyspec_lsp.workspace.config import CONFIG_PATH

        return self.root / CONFIG_PATH

    def contains(self, path: Path) -> bool:
        return path.is_relative_to(self.root)

    def is_design_document(self, path: Path) -> bool:
        """Markdown under the design directory, or the file an active session names."""
        if path in self.session_files:
            return True
        return path.suffix.lower() == ".md" and path.is_relative_to(self.design_dir)

    def context_module(self, path: Path) -> str | None:
        for ref in self.sessions.values():
            if self.root / ref.design_file == path:
                return ref.module
        return None

    def design_files(self) -> list[Path]:
        """Every Markdown file under the design directory that may be read: no link out of
        the workspace (store thread: disk I/O)."""
        from codemyspec_lsp.workspace.paths import design_files

        return design_files(self.root, self.design_dir)

    def may_read(self, path: Path) -> bool:
        """The workspace's one rule for reading a file from disk (links out are refused)."""
        from codemyspec_lsp.workspace.paths import resolves_inside

        return resolves_inside(self.root, path)


def build_project(uri: str, root: Path, service_factory: Any, overrides: Any = None) -> Project:
    """Create a folder's service and read its config (store thread: disk I/O)."""
    service: SessionService = service_factory(root, overrides)
    project = Project(uri, service.root, service, Path(), service.validation_options())
    project.refresh_config()
    return project


class Projects:
    def __init__(self) -> None:
        self._by_uri: dict[str, Project] = {}

    def __iter__(self) -> Any:
        return iter(list(self._by_uri.values()))

    def __len__(self) -> int:
        return len(self._by_uri)

    def add(self, project: Project) -> None:
        self._by_uri[project.uri] = project

    def remove(self, uri: str) -> Project | None:
        path = uri_to_path(uri)
        for key, project in list(self._by_uri.items()):
            if key == uri or (path is not None and project.root == path):
                return self._by_uri.pop(key)
        return None

    def for_path(self, path: Path) -> Project | None:
        """The innermost folder holding `path`."""
        holders = [p for p in self._by_uri.values() if p.contains(path)]
        return max(holders, key=lambda p: len(p.root.parts), default=None)

    def for_uri(self, uri: str) -> tuple[Project, Path] | None:
        path = uri_to_path(uri)
        if path is None:
            return None
        project = self.for_path(path)
        return None if project is None else (project, path)

    def for_workspace_uri(self, workspace_uri: str | None) -> Project:
        """`workspaceUri` of a request: the first folder when absent."""
        projects = list(self._by_uri.values())
        if workspace_uri is None:
            if not projects:
                raise InvalidParams("workspaceUri: the server has no workspace folder")
            return projects[0]
        path = uri_to_path(workspace_uri)
        for project in projects:
            if workspace_uri in (project.uri, path_to_uri(project.root)) or project.root == path:
                return project
        raise InvalidParams(f"workspaceUri: {workspace_uri!r} is not a workspace folder")

    def for_session(self, session_id: str) -> Project | None:
        """The folder whose store last listed this session, if any."""
        for project in self._by_uri.values():
            if session_id in project.sessions:
                return project
        return None
