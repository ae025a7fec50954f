"""Every LSP handler of the server, registered in one place: the whole surface on one screen.

Handlers are a few lines each; the work is in `commands`, `validation`, `watcher`,
`config` and (editor features) `editing`.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
from pathlib import Path
from types import ModuleType
from typing import Any

from lsprotocol import types

from codemyspec_lsp import protocol
from codemyspec_lsp.lsp import navigation
from codemyspec_lsp.lsp.architecture import Architecture
from codemyspec_lsp.lsp.config import fetch_overrides, overrides_from_settings, show_config_problem
from codemyspec_lsp.lsp.documents import uri_to_path
from codemyspec_lsp.lsp.params import to_plain
from codemyspec_lsp.lsp.projects import Project, build_project
from codemyspec_lsp.lsp.server import CodeMySpecServer
from codemyspec_lsp.lsp.validation import DocumentValidator
from codemyspec_lsp.lsp.watcher import SessionWatcher
from codemyspec_lsp.session.errors import CodeMySpecError

logger = logging.getLogger(__name__)
EDITING_MODULE = "codemyspec_lsp.lsp.editing"


def create_server() -> CodeMySpecServer:
    server = CodeMySpecServer()
    server.validator = DocumentValidator(server)
    server.architecture = Architecture(server)
    server.watcher = SessionWatcher(server)
    register_lifecycle(server)
    register_documents(server)
    register_workspace(server)
    for name in protocol.COMMANDS:
        register_command(server, name)
    if importlib.util.find_spec(EDITING_MODULE) is not None:
        importlib.import_module(EDITING_MODULE).register(server)
    navigation.register(server)
    return server


# -- start-up -------------------------------------------------------------------------------


def register_lifecycle(server: CodeMySpecServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: CodeMySpecServer, params: types.InitializeParams) -> None:
        if ls.log_handler is not None:
            ls.log_handler.bind(asyncio.get_running_loop())

    @server.feature(types.INITIALIZED)
    async def initialized(ls: CodeMySpecServer, params: types.InitializedParams) -> None:
        try:
            folders = workspace_folders(ls)
            projects = await open_projects(ls, folders)
        except Exception:
            logger.exception("opening the workspace folders failed")
            raise
        finally:
            ls.ready.set()  # requests waiting on ready must never hang
        ls.watcher.start()
        for project in projects:
            show_config_problem(ls, project)
        ls.validator.revalidate_open()
        await ls.validator.scan(projects)
        await ls.architecture.register_watcher()


def workspace_folders(ls: CodeMySpecServer) -> list[tuple[str, Path]]:
    """(uri, root) of each folder; the root URI when the client names no folders."""
    uris = [folder.uri for folder in ls.workspace.folders.values()]
    if not uris and ls.workspace.root_uri:
        uris = [ls.workspace.root_uri]
    found = [(uri, uri_to_path(uri)) for uri in uris]
    return [(uri, path) for uri, path in found if path is not None]


async def open_projects(ls: CodeMySpecServer, folders: list[tuple[str, Path]]) -> list[Project]:
    """A service per folder, with the editor's settings applied."""
    overrides = await fetch_overrides(ls, folders)
    projects = []
    for uri, root in folders:
        try:
            project = await ls.in_store(
                build_project, uri, root, service_factory(ls), overrides[uri]
            )
        except CodeMySpecError as error:
            logger.error("%s: %s", root, error.message)
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=error.message)
            )
            continue
        await ls.watcher.baseline(project)
        ls.projects.add(project)
        projects.append(project)
    return projects


def commands() -> ModuleType:
    """The command handlers, imported on first use: they pull in the core's models."""
    return importlib.import_module("codemyspec_lsp.lsp.commands")


def service_factory(ls: CodeMySpecServer) -> Any:
    def create(root: Path, overrides: Any) -> Any:
        service = importlib.import_module("codemyspec_lsp.session.service")
        return service.SessionService(
            root, overrides=overrides, open_document=ls.open_document_text
        )

    return create


async def reload_projects(ls: CodeMySpecServer, overrides: dict[str, Any]) -> None:
    """Apply changed settings or config files, then validate everything again."""
    projects = list(ls.projects)
    for project in projects:
        try:
            await ls.in_store(_reload, project, overrides.get(project.uri))
        except CodeMySpecError as error:
            logger.error("%s: %s", project.root, error.message)
        ls.architecture.reset(project)
        show_config_problem(ls, project)
    ls.validator.revalidate_open()
    await ls.validator.scan(projects)


def _reload(project: Project, overrides: Any) -> None:
    project.service.reload(overrides)
    project.refresh_config()


# -- documents ------------------------------------------------------------------------------


def register_documents(server: CodeMySpecServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CodeMySpecServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.validator.publisher.opened(params.text_document.uri)
        ls.validator.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CodeMySpecServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.validator.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: CodeMySpecServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        found = ls.projects.for_uri(uri)
        if found is not None and found[1] == found[0].config_file:
            await reload_projects(ls, await current_overrides(ls))
            return
        ls.validator.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CodeMySpecServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.validator.closed(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=protocol.DIAGNOSTIC_IDENTIFIER,
            inter_file_dependencies=True,
            workspace_diagnostics=True,
        ),
    )
    async def pull_diagnostics(
        ls: CodeMySpecServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        await ls.ready.wait()
        uri = params.text_document.uri
        await ls.validator.current(uri)
        report: types.DocumentDiagnosticReport = ls.validator.publisher.pull_report(
            uri, params.previous_result_id
        )
        return report

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def pull_workspace_diagnostics(
        ls: CodeMySpecServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        await ls.ready.wait()
        ls.validator.publisher.pull_workspace()
        previous = {item.uri: item.value for item in params.previous_result_ids}
        return ls.validator.publisher.workspace_report(previous)


# -- workspace ------------------------------------------------------------------------------


async def current_overrides(ls: CodeMySpecServer) -> dict[str, Any]:
    """The editor's settings per folder: asked again when the client can answer."""
    folders = [(p.uri, p.root) for p in ls.projects]
    if ls.answers_configuration:
        return await fetch_overrides(ls, folders)
    return {uri: overrides_from_settings(ls.pushed_settings) for uri, _ in folders}


def register_workspace(server: CodeMySpecServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def changed_configuration(
        ls: CodeMySpecServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = to_plain(params.settings)
        if isinstance(settings, dict) and protocol.CONFIG_SECTION in settings:
            ls.pushed_settings = settings[protocol.CONFIG_SECTION]
        await ls.ready.wait()
        await reload_projects(ls, await current_overrides(ls))

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def changed_folders(
        ls: CodeMySpecServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        await ls.ready.wait()
        for folder in params.event.removed:
            removed = ls.projects.remove(folder.uri)
            if removed is not None:
                ls.validator.forget(removed)
                ls.architecture.forget(removed)
        added = [(f.uri, uri_to_path(f.uri)) for f in params.event.added]
        folders = [(uri, path) for uri, path in added if path is not None]
        projects = await open_projects(ls, folders)
        for project in projects:
            show_config_problem(ls, project)
        ls.validator.revalidate_open()
        await ls.validator.scan(projects)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files_changed(
        ls: CodeMySpecServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        await ls.ready.wait()
        await ls.architecture.files_changed([change.uri for change in params.changes])


# -- commands -------------------------------------------------------------------------------


def register_command(server: CodeMySpecServer, name: str) -> None:
    """`name` as a `workspace/executeCommand` command and as a request method."""

    async def execute(ls: CodeMySpecServer, *arguments: Any) -> Any:
        with ls.running_command():
            return await commands().run_execute_command(ls, name, arguments)

    async def request(ls: CodeMySpecServer, params: Any) -> Any:
        with ls.running_command():
            return await commands().run_command(ls, name, params)

    server.command(name)(execute)
    server.feature(name)(request)
