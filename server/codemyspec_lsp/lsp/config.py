"""The editor's settings (`workspace/configuration`, section `codemyspec`) and config problems.

`.codemyspec/config.toml` is the service's business; here the editor's `designDir`,
`requiredSections` and `docsBaseUrl` are fetched per folder and handed to the service as
overrides, and a config the service could not use is shown: a message and a diagnostic on
the file.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from codemyspec_lsp import protocol
from codemyspec_lsp.lsp.documents import path_to_uri
from codemyspec_lsp.lsp.params import to_plain

if TYPE_CHECKING:
    from codemyspec_lsp.lsp.projects import Project
    from codemyspec_lsp.lsp.server import CodeMySpecServer
    from codemyspec_lsp.workspace.config import ConfigOverrides

logger = logging.getLogger(__name__)


def overrides_from_settings(settings: Any) -> ConfigOverrides | None:
    """`{"designDir": str, "requiredSections": [str], "docsBaseUrl": str}` -> overrides;
    ill-typed keys ignored (an empty string is no setting)."""
    from codemyspec_lsp.workspace.config import ConfigOverrides

    if not isinstance(settings, dict):
        return None
    design_dir = settings.get("designDir")
    sections = settings.get("requiredSections")
    docs_base_url = settings.get("docsBaseUrl")
    if design_dir is not None and not isinstance(design_dir, str):
        logger.warning("setting codemyspec.designDir must be a string; ignored")
        design_dir = None
    if docs_base_url is not None and not isinstance(docs_base_url, str):
        logger.warning("setting codemyspec.docsBaseUrl must be a string; ignored")
        docs_base_url = None
    if sections is not None and not (
        isinstance(sections, list) and all(isinstance(s, str) for s in sections)
    ):
        logger.warning("setting codemyspec.requiredSections must be a list of strings; ignored")
        sections = None
    if design_dir is None and sections is None and not docs_base_url:
        return None
    return ConfigOverrides(
        design_dir=design_dir or None,
        required_sections=tuple(sections) if sections is not None else None,
        docs_base_url=docs_base_url or None,
    )


async def fetch_overrides(
    server: CodeMySpecServer, folders: list[tuple[str, Any]]
) -> dict[str, ConfigOverrides | None]:
    """Ask the client for each folder's `codemyspec` section (None where it cannot say)."""
    if not folders or not server.answers_configuration:
        return {uri: None for uri, _ in folders}
    items = [
        types.ConfigurationItem(scope_uri=uri, section=protocol.CONFIG_SECTION)
        for uri, _ in folders
    ]
    try:
        values = await server.workspace_configuration_async(types.ConfigurationParams(items=items))
    except Exception:
        logger.warning("the client did not answer workspace/configuration", exc_info=True)
        return {uri: None for uri, _ in folders}
    values = list(values or [])
    values += [None] * (len(folders) - len(values))
    return {
        uri: overrides_from_settings(to_plain(v))
        for (uri, _), v in zip(folders, values, strict=True)
    }


def show_config_problem(server: CodeMySpecServer, project: Project) -> None:
    """A message and a diagnostic on config.toml while the service uses the defaults."""
    problem = project.service.config_problem
    uri = path_to_uri(project.config_file)
    if problem is None:
        if server.diagnostics.get(uri) is not None:
            server.validator.publisher.clear(uri)
        return
    line = problem.line or 0
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(line, 0), types.Position(line, 10_000)),
        message=problem.message,
        severity=types.DiagnosticSeverity.Error,
        source=protocol.DIAGNOSTIC_SOURCE,
        code="config",
    )
    server.window_show_message(
        types.ShowMessageParams(type=types.MessageType.Error, message=problem.message)
    )
    document = server.workspace.text_documents.get(uri)
    changed = server.diagnostics.put(uri, document.version if document else None, (diagnostic,))
    server.validator.publisher.publish(uri, changed=changed, unrequested=True)
