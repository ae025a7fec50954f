"""Editor help on design documents over LSP: code actions, hover, completion, outline.

Each handler takes a snapshot of the open document (its text and version), validates that
text on the validation thread, and hands text and report to the pure functions of
`codemyspec_lsp.editing`; this module only translates their results into LSP types. Edits
carry the version they were computed for, so a client refuses them once the document has
moved on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lsprotocol import types

from codemyspec_lsp import protocol
from codemyspec_lsp.design import diagnostics as core
from codemyspec_lsp.lsp.diagnostics import to_lsp

# The editing logic pulls in the parser, markdown-it and pydantic: it is imported on the
# first request rather than at start-up, which it would slow by about a third.
if TYPE_CHECKING:
    from codemyspec_lsp.design.validator import ValidationReport
    from codemyspec_lsp.editing.completion import Completion
    from codemyspec_lsp.editing.outline import Symbol
    from codemyspec_lsp.editing.textedit import TextEdit
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer

QUICK_FIX = types.CodeActionKind.QuickFix.value
FIX_ALL = protocol.FIX_ALL_CODE_ACTION_KIND
# A space ends `##` and the `|` before a type cell; `-`-items complete after their space.
COMPLETION_TRIGGERS = [" ", "|"]

_SYMBOL_KINDS = {
    "context": types.SymbolKind.Module,
    "section": types.SymbolKind.Namespace,
    "component": types.SymbolKind.Class,
    "dependency": types.SymbolKind.Package,
}
_COMPLETION_KINDS = {
    "section": types.CompletionItemKind.Keyword,
    "type": types.CompletionItemKind.EnumMember,
    "module": types.CompletionItemKind.Module,
}


@dataclass(frozen=True)
class Snapshot:
    """An open design document at one version, with its validation report."""

    uri: str
    version: int | None
    text: str
    report: ValidationReport
    project: Project
    path: Path


async def snapshot(ls: CodeMySpecServer, uri: str) -> Snapshot | None:
    """The open design document `uri` as it stands, validated; None for other documents."""
    await ls.ready.wait()
    document = ls.workspace.text_documents.get(uri)
    target = ls.validator.design_target(uri)
    if document is None or target is None:
        return None
    project, path = target
    text, version = document.source, document.version
    # The options the published diagnostics were made with, so fixes match their messages.
    options = ls.validator.options_for(project, path)
    from codemyspec_lsp.design.validator import validate_design

    report = await ls.in_validator(validate_design, text, options)
    return Snapshot(uri, version, text, report, project, path)


# -- translation into LSP types ------------------------------------------------------------------


def lsp_position(position: core.Position) -> types.Position:
    return types.Position(line=position.line, character=position.character)


def lsp_range(where: core.Range) -> types.Range:
    return types.Range(start=lsp_position(where.start), end=lsp_position(where.end))


def core_range(where: types.Range) -> core.Range:
    return core.Range(
        core.Position(where.start.line, where.start.character),
        core.Position(where.end.line, where.end.character),
    )


def lsp_edit(edit: TextEdit) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(edit.range), new_text=edit.new_text)


def workspace_edit(doc: Snapshot, edits: Sequence[TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=doc.uri, version=doc.version
                ),
                edits=[lsp_edit(edit) for edit in edits],
            )
        ]
    )


def wants(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for this kind of action (kinds are dot-separated trees)."""
    return only is None or any(kind == want or kind.startswith(f"{want}.") for want in only)


def touches(a: core.Range, b: core.Range) -> bool:
    return a.start <= b.end and b.start <= a.end


def code_actions(doc: Snapshot, params: types.CodeActionParams) -> list[types.CodeAction]:
    from codemyspec_lsp.editing.fixes import fix_all, fixes_for

    only = [str(kind) for kind in params.context.only] if params.context.only else None
    actions: list[types.CodeAction] = []
    if wants(QUICK_FIX, only):
        requested = core_range(params.range)
        for diagnostic in doc.report.diagnostics:
            if not touches(diagnostic.range, requested):
                continue
            for fix in fixes_for(diagnostic, doc.report, doc.text):
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=QUICK_FIX,
                        diagnostics=list(to_lsp([diagnostic], doc.project.docs_base)),
                        is_preferred=fix.preferred or None,
                        edit=workspace_edit(doc, fix.edits),
                    )
                )
    if wants(FIX_ALL, only):
        edits = fix_all(doc.report, doc.text)
        if edits:
            actions.append(
                types.CodeAction(
                    title="Fix all CodeMySpec problems that need no choice",
                    kind=FIX_ALL,
                    edit=workspace_edit(doc, edits),
                )
            )
    return actions


def design_session_actions(params: types.CodeActionParams) -> list[types.CodeAction]:
    """CMS130 (a dependency nobody designed): start a design session for that context."""
    only = [str(kind) for kind in params.context.only] if params.context.only else None
    if not wants(QUICK_FIX, only):
        return []
    actions = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.code != "CMS130" or diagnostic.source != protocol.DIAGNOSTIC_SOURCE:
            continue
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        context = str(data.get("context") or diagnostic.message.split(" ", 1)[0])
        title = f"Start a design session for {context}"
        actions.append(
            types.CodeAction(
                title=title,
                kind=QUICK_FIX,
                diagnostics=[diagnostic],
                command=types.Command(
                    title=title, command=protocol.START_SESSION, arguments=[{"context": context}]
                ),
            )
        )
    return actions


def completion_item(item: Completion) -> types.CompletionItem:
    return types.CompletionItem(
        label=item.label,
        kind=_COMPLETION_KINDS[item.kind],
        detail=item.detail,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=item.documentation),
        sort_text=item.sort_text,
        filter_text=item.label,
        text_edit=lsp_edit(item.edit),
    )


def document_symbol(symbol: Symbol) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name or "(untitled)",
        kind=_SYMBOL_KINDS[symbol.kind],
        detail=symbol.detail or None,
        range=lsp_range(symbol.range),
        selection_range=lsp_range(symbol.selection),
        children=[document_symbol(child) for child in symbol.children],
    )


def known_modules(doc: Snapshot) -> list[str]:
    """The contexts of the workspace: one per design file, its module from its path (as
    the architecture graph names them), without the document's own."""
    from codemyspec_lsp.workspace.paths import module_for_design

    base = doc.project.design_dir
    return [
        module_for_design(PurePosixPath(path.relative_to(base).as_posix()))
        for path in doc.project.design_files()
        if path != doc.path and path.is_relative_to(base)
    ]


def complete_at(doc: Snapshot, position: types.Position) -> list[types.CompletionItem]:
    """Runs on the validation thread: listing the design files is disk I/O."""
    from codemyspec_lsp.editing.completion import complete

    where = core.Position(position.line, position.character)
    items = complete(doc.text, doc.report.source_map, where, lambda: known_modules(doc))
    return [completion_item(item) for item in items]


# -- registration ----------------------------------------------------------------------------


def register(server: CodeMySpecServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[QUICK_FIX, FIX_ALL]),
    )
    async def on_code_action(
        ls: CodeMySpecServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        doc = await snapshot(ls, params.text_document.uri)
        if doc is None:
            return None
        return code_actions(doc, params) + design_session_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: CodeMySpecServer, params: types.HoverParams) -> types.Hover | None:
        from codemyspec_lsp.editing.hover import hover_at

        doc = await snapshot(ls, params.text_document.uri)
        where = core.Position(params.position.line, params.position.character)
        found = hover_at(doc.report.source_map, where) if doc else None
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.markdown),
            range=lsp_range(found.range),
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS),
    )
    async def on_completion(
        ls: CodeMySpecServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        doc = await snapshot(ls, params.text_document.uri)
        if doc is None:
            return None
        items = await ls.in_validator(complete_at, doc, params.position)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def on_document_symbol(
        ls: CodeMySpecServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | None:
        doc = await snapshot(ls, params.text_document.uri)
        if doc is None:
            return None
        from codemyspec_lsp.editing.outline import outline

        return [document_symbol(symbol) for symbol in outline(doc.report.source_map)]
