"""The six commands of the protocol: validate params, call the service, convert the answer.

Imported on the first command, not at start-up (the wire models pull in pydantic).

Each is reachable as `workspace/executeCommand` and as a direct request of the same name
(`setup.py` registers both); both paths end in `run_command`. The core's typed errors
become JSON-RPC errors with their own code; anything unexpected is logged and answered
-32603, and the server carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcServerError,
)

from codemyspec_lsp import protocol
from codemyspec_lsp.lsp import agent_commands
from codemyspec_lsp.lsp.diagnostics import to_lsp
from codemyspec_lsp.lsp.documents import path_to_uri
from codemyspec_lsp.lsp.params import json_type, parse_params
from codemyspec_lsp.session.errors import CodeMySpecError, InvalidParams, SessionNotFound
from codemyspec_lsp.session.models import (
    CancelSessionParams,
    CheckContextParams,
    GetGraphParams,
    GetSessionParams,
    ListSessionsParams,
    NextStepParams,
    ReportResultParams,
    StartSessionParams,
)

if TYPE_CHECKING:
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer
    from codemyspec_lsp.session.service import ReportOutcome

logger = logging.getLogger(__name__)
T = TypeVar("T")
Handler = Callable[["CodeMySpecServer", Any], Awaitable[Any]]


# -- the commands ---------------------------------------------------------------------------


async def start_session(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(StartSessionParams, raw)
    project = ls.projects.for_workspace_uri(params.workspace_uri)
    return (await _changing(ls, project, project.service.start_session, params)).dump()


async def next_step(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(NextStepParams, raw)
    project = await _project_of(ls, params.session_id)
    return (await _changing(ls, project, project.service.next_step, params.session_id)).dump()


async def report_result(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(ReportResultParams, raw)
    project = await _project_of(ls, params.session_id)
    report = project.service.report_result
    outcome = await _changing(
        ls, project, report, params.session_id, params.interaction_id, params.result
    )
    _show_validation(ls, outcome)
    return outcome.session.dump()


async def get_session(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(GetSessionParams, raw)
    project = await _project_of(ls, params.session_id)
    return (await ls.in_store(project.service.get_session, params.session_id)).dump()


async def list_sessions(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(ListSessionsParams, raw)
    project = ls.projects.for_workspace_uri(params.workspace_uri)
    sessions = await ls.in_store(project.service.list_sessions, params.status)
    return {"sessions": [session.summary() for session in sessions]}


async def cancel_session(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(CancelSessionParams, raw)
    project = await _project_of(ls, params.session_id)
    return (await _changing(ls, project, project.service.cancel_session, params.session_id)).dump()


async def check_context(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(CheckContextParams, raw)
    project = ls.projects.for_workspace_uri(params.workspace_uri)
    return (await ls.in_store(project.service.check_context, params.context)).dump()


async def get_graph(ls: CodeMySpecServer, raw: Any) -> Any:
    from codemyspec_lsp.architecture.render import graph_json, mermaid

    params = parse_params(GetGraphParams, raw)
    project = ls.projects.for_workspace_uri(params.workspace_uri)
    if not ls.architecture.built.is_set():
        with ls.outside_command():  # the scan waits for commands: let it finish first
            await ls.architecture.built.wait()
    graph = ls.architecture.graph_of(project)
    return {**graph_json(graph), "mermaid": mermaid(graph)}


HANDLERS: dict[str, Handler] = {
    protocol.START_SESSION: start_session,
    protocol.NEXT_STEP: next_step,
    protocol.REPORT_RESULT: report_result,
    protocol.GET_SESSION: get_session,
    protocol.LIST_SESSIONS: list_sessions,
    protocol.CANCEL_SESSION: cancel_session,
    protocol.CHECK_CONTEXT: check_context,
    protocol.LIST_AGENTS: agent_commands.list_agents,
    protocol.WORKSPACE_INFO: agent_commands.workspace_info,
    protocol.GET_GRAPH: get_graph,
}


# -- shared steps ---------------------------------------------------------------------------


async def _changing(
    ls: CodeMySpecServer, project: Project, call: Callable[..., T], *args: Any
) -> T:
    """A call that may change a session: clients hear of it before the response."""
    result = await ls.in_store(call, *args)
    await ls.watcher.sync(project)
    return result


async def _project_of(ls: CodeMySpecServer, session_id: str) -> Project:
    """The folder whose store holds the session: ids are unique across folders."""
    known = ls.projects.for_session(session_id)
    candidates = [known] if known else []
    candidates += [p for p in ls.projects if p is not known]
    for project in candidates:
        try:
            await ls.in_store(project.service.get_session, session_id)
        except SessionNotFound:
            continue
        return project
    raise SessionNotFound(session_id)


def _show_validation(ls: CodeMySpecServer, outcome: ReportOutcome) -> None:
    """A validate_design result: that file's diagnostics, open or not."""
    if outcome.validated is None:
        return
    path, report = outcome.validated
    uri = path_to_uri(path)
    document = ls.workspace.text_documents.get(uri)
    version = document.version if document else None
    project = ls.projects.for_path(path)
    docs_base = project.docs_base if project is not None else None
    changed = ls.diagnostics.put(uri, version, to_lsp(report.diagnostics, docs_base))
    ls.validator.publisher.publish(uri, changed=changed, unrequested=True)


# -- the one way in ---------------------------------------------------------------------------


async def run_command(ls: CodeMySpecServer, name: str, raw: Any) -> Any:
    """Run one command, turning every failure into the JSON-RPC error the client gets."""
    try:
        await ls.ready.wait()
        return await HANDLERS[name](ls, raw)
    except CodeMySpecError as error:
        raise rpc_error(error) from None
    except JsonRpcException:
        raise
    except Exception as error:
        logger.exception("%s failed", name)
        raise JsonRpcInternalError(f"{name} failed: {type(error).__name__}: {error}") from None


async def run_execute_command(ls: CodeMySpecServer, name: str, arguments: tuple[Any, ...]) -> Any:
    """`workspace/executeCommand`: `arguments` holds the one params object."""
    if len(arguments) > 1:
        raise JsonRpcInvalidParams(
            f"arguments: expected one object, got {len(arguments)} arguments"
        )
    if arguments and not isinstance(arguments[0], dict | None):
        kind = json_type(arguments[0])
        raise JsonRpcInvalidParams(f"arguments[0]: expected a JSON object, got {kind}")
    return await run_command(ls, name, arguments[0] if arguments else None)


def rpc_error(error: CodeMySpecError) -> JsonRpcException:
    if isinstance(error, InvalidParams):
        return JsonRpcInvalidParams(error.message)
    if -32099 <= error.code <= -32000:
        return JsonRpcServerError(error.message, error.code)  # type: ignore[no-untyped-call]
    return JsonRpcException(message=error.message, code=error.code)
