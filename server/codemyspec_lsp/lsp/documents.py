"""URIs, paths and the editor's open buffers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pygls.uris import from_fs_path, to_fs_path

if TYPE_CHECKING:
    from pygls.workspace import TextDocument, Workspace


def uri_to_path(uri: str) -> Path | None:
    """The resolved file path of a `file:` URI (as the service resolves its root); None for
    other schemes."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    if not path:
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def path_to_uri(path: Path) -> str:
    uri = from_fs_path(str(path))
    return uri if uri is not None else path.as_uri()


def find_open_document(workspace: Workspace, path: Path) -> TextDocument | None:
    """The open buffer of `path`, whatever spelling of its URI the client used."""
    documents: dict[str, TextDocument] = workspace.text_documents
    document = documents.get(path_to_uri(path))
    if document is not None:
        return document
    for uri, candidate in list(documents.items()):
        if uri_to_path(uri) == path:
            return candidate
    return None


def open_text(workspace: Workspace, path: Path) -> str | None:
    document = find_open_document(workspace, path.resolve())
    return None if document is None else document.source
