"""The configuration reloads while a design is being validated on the validation thread:
what that validation made (diagnostics with the old options, facts for the old design
directory) never outlives the reload. In process, with the validation thread replaced by
a call that reloads the configuration half way, so the race happens every run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lsp_harness import VALID

from codemyspec_lsp.lsp.architecture import Architecture
from codemyspec_lsp.lsp.diagnostics import DiagnosticsStore
from codemyspec_lsp.lsp.documents import path_to_uri
from codemyspec_lsp.lsp.projects import Projects, build_project
from codemyspec_lsp.lsp.validation import DocumentValidator
from codemyspec_lsp.session.service import SessionService

CONFIG = '[project]\nname = "Shop"\n'
MOVED = CONFIG + '\n[design]\ndir = "specs"\n'


class Server(SimpleNamespace):
    """What the validator and the architecture layer use of the language server."""

    def __init__(self, root: Path) -> None:
        super().__init__(
            ready=asyncio.Event(),
            projects=Projects(),
            diagnostics=DiagnosticsStore(),
            workspace=SimpleNamespace(text_documents={}),
            pulls_diagnostics=False,
            refreshes_diagnostics=False,
            published=[],
        )
        self.ready.set()
        self.architecture = Architecture(self)  # type: ignore[arg-type]
        self.validator = DocumentValidator(self)  # type: ignore[arg-type]
        self.project = build_project(
            path_to_uri(root),
            root,
            lambda root, overrides: SessionService(root, overrides=overrides),
        )
        self.projects.add(self.project)
        self.halfway: Callable[[], None] | None = None

    async def in_validator(self, fn: Callable[..., Any], *args: Any) -> Any:
        result = fn(*args)
        halfway, self.halfway = self.halfway, None
        if halfway is not None:
            halfway()  # the loop ran this while the thread validated
        return result

    def text_document_publish_diagnostics(self, params: Any) -> None:
        self.published.append(params)

    def reload(self, config: str) -> None:
        """What `setup.reload_projects` does on the loop, before its scan."""
        (self.project.root / ".codemyspec" / "config.toml").write_text(config, encoding="utf-8")
        self.project.service.reload(None)
        self.project.refresh_config()
        self.architecture.reset(self.project)
        self.validator.revalidate_open()


def workspace(tmp_path: Path) -> tuple[Server, Path, str]:
    (tmp_path / ".codemyspec").mkdir()
    (tmp_path / ".codemyspec" / "config.toml").write_text(CONFIG, encoding="utf-8")
    path = tmp_path / "docs" / "design" / "shop" / "accounts.md"
    path.parent.mkdir(parents=True)
    path.write_text(VALID, encoding="utf-8")
    server = Server(tmp_path.resolve())
    return server, path.resolve(), path_to_uri(path.resolve())


async def test_an_open_design_moved_out_of_the_design_dir_mid_validation(tmp_path: Path) -> None:
    server, path, uri = workspace(tmp_path)
    server.workspace.text_documents[uri] = SimpleNamespace(version=1, source=VALID + "\nmore\n")
    server.halfway = lambda: server.reload(MOVED)  # docs/design is no design dir any more
    server.validator.schedule(uri)
    await server.validator.settled(uri)
    index = server.architecture.index(server.project)
    assert index.get(path) is None  # no context left in the graph from the old design dir
    assert index.graph().contexts == {}
    assert server.diagnostics.get(uri) is None  # nor diagnostics: it is no design now


async def test_a_closed_design_moved_out_of_the_design_dir_mid_validation(tmp_path: Path) -> None:
    server, path, _uri = workspace(tmp_path)
    server.halfway = lambda: server.reload(MOVED)
    await server.validator.validate_file(server.project, path)
    index = server.architecture.index(server.project)
    assert index.get(path) is None
    assert index.graph().contexts == {}


async def test_required_sections_changed_mid_validation_are_applied(tmp_path: Path) -> None:
    server, _path, uri = workspace(tmp_path)
    text = VALID.replace("## Purpose\n", "## Porpoise\n")
    server.workspace.text_documents[uri] = SimpleNamespace(version=1, source=text)
    only_title = CONFIG + '\n[design]\nrequired_sections = ["components"]\n'
    server.halfway = lambda: server.reload(only_title)
    server.validator.schedule(uri)
    await server.validator.settled(uri)
    entry = server.diagnostics.get(uri)
    assert entry is not None
    assert "CMS101" not in [d.code for d in entry.items]  # Purpose is no longer required
