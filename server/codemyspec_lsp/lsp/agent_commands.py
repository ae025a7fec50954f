"""`codemyspec/listAgents` and `codemyspec/workspaceInfo`: which agent runs, and where.

Both take `{workspaceUri?}`. Asking each CLI for its `--version` takes a moment, so the
work runs in a worker thread, never on the server's loop.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from codemyspec_lsp.agents.discovery import list_agents as agents_of
from codemyspec_lsp.agents.discovery import workspace_info as info_of
from codemyspec_lsp.lsp.params import parse_params
from codemyspec_lsp.session.models import ParamsModel

if TYPE_CHECKING:
    from codemyspec_lsp.lsp.server import CodeMySpecServer


class WorkspaceParams(ParamsModel):
    workspace_uri: Annotated[str, Field(max_length=4096)] | None = None


async def list_agents(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(WorkspaceParams, raw)
    service = ls.projects.for_workspace_uri(params.workspace_uri).service
    agents = await asyncio.to_thread(
        agents_of, service.config, python=sys.executable, root=service.root
    )
    return {"agents": agents}


async def workspace_info(ls: CodeMySpecServer, raw: Any) -> Any:
    params = parse_params(WorkspaceParams, raw)
    service = ls.projects.for_workspace_uri(params.workspace_uri).service
    return await asyncio.to_thread(
        info_of, service.config, python=sys.executable, root=service.root
    )
