"""Navigation across designs over LSP: definition, references, workspace symbols, document
links, rename with prepareRename. The work is in `architecture.navigation`; this module
asks the index for the current facts and translates positions and edits into LSP.

Every answer is computed from facts at the open buffers' current versions (a request
first waits for the document's own validation), and a rename's edits carry the versions
of the open documents they were computed for, so a client refuses them once one moved.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from codemyspec_lsp.design import diagnostics as core
from codemyspec_lsp.lsp.documents import path_to_uri
from codemyspec_lsp.lsp.editing import lsp_range

if TYPE_CHECKING:
    from codemyspec_lsp.architecture.facts import DesignFacts
    from codemyspec_lsp.architecture.graph import ContextGraph, Definition
    from codemyspec_lsp.architecture.index import DesignIndex
    from codemyspec_lsp.architecture.navigation import Target
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer

MAX_SYMBOLS = 2000
REQUEST_FAILED = -32803  # LSP's RequestFailed: the request was valid, the answer is no


def refused(message: str) -> JsonRpcException:
    return JsonRpcException(code=REQUEST_FAILED, message=message)


class Located:
    """An open design at its current version, in its folder's index."""

    def __init__(
        self, project: Project, index: DesignIndex, facts: DesignFacts, graph: ContextGraph
    ) -> None:
        self.project, self.index, self.facts, self.graph = project, index, facts, graph

    def uri_of(self, relative: PurePosixPath) -> str:
        return path_to_uri(self.project.root / Path(relative))

    def location(self, definition: Definition) -> types.Location:
        from codemyspec_lsp.architecture.navigation import definition_range

        return types.Location(
            uri=self.uri_of(definition.facts.relative),
            range=lsp_range(definition_range(definition)),
        )


async def locate(ls: CodeMySpecServer, uri: str) -> Located | None:
    await ls.ready.wait()
    await ls.architecture.built.wait()
    target = ls.validator.design_target(uri)
    if target is None:
        return None
    await ls.validator.current(uri)
    project, path = target
    index = ls.architecture.index(project)
    facts = index.get(path)
    document = ls.workspace.text_documents.get(uri)
    if facts is None or (document is not None and facts.version != document.version):
        return None
    return Located(project, index, facts, index.graph())


def position(where: types.Position) -> core.Position:
    return core.Position(where.line, where.character)


PositionParams = (
    types.DefinitionParams | types.ReferenceParams | types.PrepareRenameParams | types.RenameParams
)


async def locate_target(
    ls: CodeMySpecServer, params: PositionParams
) -> tuple[Located, Target] | None:
    """The open design and the module name at the request's position, if any."""
    from codemyspec_lsp.architecture.navigation import target_at

    found = await locate(ls, params.text_document.uri)
    if found is None:
        return None
    target = target_at(found.graph, found.facts, position(params.position))
    return None if target is None else (found, target)


# -- the handlers ------------------------------------------------------------------------------


async def definition(
    ls: CodeMySpecServer, params: types.DefinitionParams
) -> list[types.Location] | None:
    from codemyspec_lsp.architecture.navigation import definitions

    located = await locate_target(ls, params)
    if located is None:
        return None
    found, target = located
    return [found.location(d) for d in definitions(found.graph, target.module)] or None


async def references(
    ls: CodeMySpecServer, params: types.ReferenceParams
) -> list[types.Location] | None:
    from codemyspec_lsp.architecture.navigation import references as find

    located = await locate_target(ls, params)
    if located is None:
        return None
    found, target = located
    designs = [facts for _, facts in found.index]
    places = find(designs, target.module, include_definitions=params.context.include_declaration)
    return [
        types.Location(uri=found.uri_of(facts.relative), range=lsp_range(named.range))
        for facts, named in places
    ]


async def document_links(
    ls: CodeMySpecServer, params: types.DocumentLinkParams
) -> list[types.DocumentLink] | None:
    found = await locate(ls, params.text_document.uri)
    if found is None:
        return None
    tooltips = bool(ls.capability("text_document.document_link.tooltip_support"))
    links = []
    for dep in found.facts.dependencies:
        context = found.graph.target(dep.module)
        if context is None or context == found.facts.module:
            continue
        named = next(
            (n for n in found.facts.mentions if n.line == dep.line and n.module == dep.module),
            None,
        )
        links.append(
            types.DocumentLink(
                range=lsp_range(named.range if named else dep.range),
                target=found.uri_of(found.graph.contexts[context].relative),
                tooltip=f"Open the design of {context}" if tooltips else None,
            )
        )
    return links


async def workspace_symbols(
    ls: CodeMySpecServer, params: types.WorkspaceSymbolParams
) -> list[types.WorkspaceSymbol]:
    from codemyspec_lsp.architecture.navigation import definition_range

    await ls.ready.wait()
    await ls.architecture.built.wait()
    query = params.query.lower()
    symbols: list[types.WorkspaceSymbol] = []
    for project, index in ls.architecture.indexes():
        for module, defined in sorted(index.graph().definitions.items()):
            if query and query not in module.lower():
                continue
            for definition in defined:
                uri = path_to_uri(project.root / Path(definition.facts.relative))
                is_context = definition.named is None
                symbols.append(
                    types.WorkspaceSymbol(
                        name=module,
                        kind=types.SymbolKind.Module if is_context else types.SymbolKind.Class,
                        container_name=None if is_context else definition.facts.module,
                        location=types.Location(
                            uri=uri, range=lsp_range(definition_range(definition))
                        ),
                    )
                )
                if len(symbols) >= MAX_SYMBOLS:
                    return symbols
    return symbols


async def prepare_rename(
    ls: CodeMySpecServer, params: types.PrepareRenameParams
) -> types.PrepareRenamePlaceholder | None:
    located = await locate_target(ls, params)
    if located is None:
        raise refused("Only a module name (a context or a component) can be renamed")
    found, target = located
    if target.module not in found.graph.definitions:
        raise refused(
            f"{target.module} is not designed in this workspace: only a context or component "
            "module defined by a design can be renamed"
        )
    return types.PrepareRenamePlaceholder(range=lsp_range(target.range), placeholder=target.module)


async def rename(ls: CodeMySpecServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    from codemyspec_lsp.architecture.navigation import RenameRefused, plan_rename

    located = await locate_target(ls, params)
    if located is None:
        raise refused("Only a module name (a context or a component) can be renamed")
    found, target = located
    await _settle_open(ls, found.project)
    graph = found.index.graph()
    design_dir = PurePosixPath(found.index.design_dir.relative_to(found.project.root).as_posix())
    try:
        plan = plan_rename(graph, design_dir, target.module, params.new_name)
    except RenameRefused as refusal:
        raise JsonRpcInvalidParams(str(refusal)) from None
    if plan.moves and not _can_rename_files(ls):
        moves = ", ".join(f"{old} to {new}" for old, new in plan.moves)
        raise refused(
            f"Renaming {target.module} moves its design ({moves}), and this editor cannot "
            "move files in a rename: move the file yourself, then rename again"
        )
    return _workspace_edit(ls, found, plan)


# -- the rename's edit -------------------------------------------------------------------------


async def _settle_open(ls: CodeMySpecServer, project: Project) -> None:
    """Bring every open design of the folder up to its buffer's version."""
    for uri in list(ls.workspace.text_documents):
        if ls.validator.design_target(uri) is not None:
            await ls.validator.current(uri)


def _can_rename_files(ls: CodeMySpecServer) -> bool:
    # Resource operations come only in `documentChanges`: a client listing them applies those
    # (Neovim lists them without declaring `documentChanges`).
    operations = ls.capability("workspace.workspace_edit.resource_operations") or []
    return types.ResourceOperationKind.Rename in operations


def _takes_document_changes(ls: CodeMySpecServer) -> bool:
    return bool(ls.capability("workspace.workspace_edit.document_changes")) or bool(
        ls.capability("workspace.workspace_edit.resource_operations")
    )


def _workspace_edit(ls: CodeMySpecServer, found: Located, plan: Any) -> types.WorkspaceEdit:
    documents = ls.workspace.text_documents
    changes: list[Any] = []
    for relative, edits in sorted(plan.edits.items()):
        uri = found.uri_of(relative)
        document = documents.get(uri)
        facts = found.index.get(found.project.root / Path(relative))
        version = document.version if document is not None else None
        if facts is not None and facts.version != version:
            raise refused(f"{relative} changed meanwhile: rename again")
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=version
                ),
                edits=[
                    types.TextEdit(range=lsp_range(edit.range), new_text=edit.new_text)
                    for edit in edits
                ],
            )
        )
    for old, new in plan.moves:
        changes.append(
            types.RenameFile(
                old_uri=found.uri_of(old),
                new_uri=found.uri_of(new),
                options=types.RenameFileOptions(overwrite=False, ignore_if_exists=False),
            )
        )
    if not _can_rename_files(ls) and not ls.capability("workspace.workspace_edit.document_changes"):
        return types.WorkspaceEdit(
            changes={change.text_document.uri: change.edits for change in changes}
        )
    return types.WorkspaceEdit(document_changes=changes)


def register(server: CodeMySpecServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(definition)
    server.feature(types.TEXT_DOCUMENT_REFERENCES)(references)
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions())(document_links)
    server.feature(types.WORKSPACE_SYMBOL)(workspace_symbols)
    server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)(prepare_rename)
    server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))(rename)
