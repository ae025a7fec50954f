"""Typed errors of the core. The server maps ``code`` to the JSON-RPC error code."""

from __future__ import annotations

from codemyspec_lsp import protocol


class CodeMySpecError(Exception):
    """Base of every error a request may answer with; ``code`` is the JSON-RPC code."""

    code: int = -32603

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidParams(CodeMySpecError):
    code = protocol.INVALID_PARAMS


class SessionNotFound(CodeMySpecError):
    code = protocol.SESSION_NOT_FOUND

    def __init__(self, session_id: str) -> None:
        super().__init__(f"session {session_id!r} not found")
        self.session_id = session_id


class InteractionNotFound(CodeMySpecError):
    code = protocol.INTERACTION_NOT_FOUND

    def __init__(self, session_id: str, interaction_id: str) -> None:
        super().__init__(f"interaction {interaction_id!r} not found in session {session_id!r}")


class DuplicateResult(CodeMySpecError):
    code = protocol.DUPLICATE_RESULT

    def __init__(self, interaction_id: str) -> None:
        super().__init__(f"interaction {interaction_id!r} already has a result")


class SessionNotActive(CodeMySpecError):
    code = protocol.SESSION_NOT_ACTIVE

    def __init__(self, session_id: str, status: str) -> None:
        super().__init__(f"session {session_id!r} is {status}, not active")


class StoreUnavailable(CodeMySpecError):
    """The store file cannot be read or written; the message names the file and the remedy."""

    code = protocol.STORE_UNAVAILABLE
