"""Every name of the wire contract (``shared/spec/protocol.md``) in one place.

Clients, tests and the server import these instead of spelling the strings again.
"""

from __future__ import annotations

from typing import Final, Literal

# -- commands (also direct request methods) ----------------------------------------------
START_SESSION: Final = "codemyspec/startSession"
NEXT_STEP: Final = "codemyspec/nextStep"
REPORT_RESULT: Final = "codemyspec/reportResult"
GET_SESSION: Final = "codemyspec/getSession"
LIST_SESSIONS: Final = "codemyspec/listSessions"
CANCEL_SESSION: Final = "codemyspec/cancelSession"
# Companion commands (not in protocol.md's six): editor conveniences on the same footing.
CHECK_CONTEXT: Final = "codemyspec/checkContext"
LIST_AGENTS: Final = "codemyspec/listAgents"
WORKSPACE_INFO: Final = "codemyspec/workspaceInfo"
# The context graph as `codemyspec graph --format json` prints it, plus its Mermaid text.
GET_GRAPH: Final = "codemyspec/getGraph"

COMMANDS: Final = (
    START_SESSION,
    NEXT_STEP,
    REPORT_RESULT,
    GET_SESSION,
    LIST_SESSIONS,
    CANCEL_SESSION,
    CHECK_CONTEXT,
    LIST_AGENTS,
    WORKSPACE_INFO,
    GET_GRAPH,
)

# -- notifications -------------------------------------------------------------------------
SESSION_CHANGED: Final = "codemyspec/sessionChanged"

# -- diagnostics ---------------------------------------------------------------------------
DIAGNOSTIC_SOURCE: Final = "codemyspec"
DIAGNOSTIC_IDENTIFIER: Final = "codemyspec"
CONFIG_SECTION: Final = "codemyspec"

# -- JSON-RPC error codes --------------------------------------------------------------------
INVALID_PARAMS: Final = -32602
SESSION_NOT_FOUND: Final = -32001
INTERACTION_NOT_FOUND: Final = -32002
DUPLICATE_RESULT: Final = -32003
SESSION_NOT_ACTIVE: Final = -32004
STORE_UNAVAILABLE: Final = -32005

# -- vocabularies ----------------------------------------------------------------------------
StepName = Literal[
    "initialize",
    "generate_context_design",
    "validate_design",
    "revise_design",
    "finalize",
]
STEPS: Final[tuple[StepName, ...]] = (
    "initialize",
    "generate_context_design",
    "validate_design",
    "revise_design",
    "finalize",
)
CommandKind = Literal["process", "agent", "noop"]
ResultStatus = Literal["ok", "warning", "error"]
SessionStatus = Literal["active", "complete", "failed", "cancelled"]
DoneStatus = Literal["success", "failed", "cancelled"]
Environment = Literal["vscode", "neovim", "cli", "local"]
ExecutionMode = Literal["manual", "auto"]
SessionType = Literal["context_design"]

# Environment variables the server adds to an agent command's ``env`` so that a
# scripted agent (the offline replay agent, test fakes) knows what to do without
# parsing the prompt. A real agent ignores them.
ENV_STEP: Final = "CODEMYSPEC_STEP"
ENV_DESIGN_FILE: Final = "CODEMYSPEC_DESIGN_FILE"
ENV_SESSION_ID: Final = "CODEMYSPEC_SESSION_ID"
ENV_CONTEXT_MODULE: Final = "CODEMYSPEC_CONTEXT_MODULE"

# -- editor help -----------------------------------------------------------------------------
# The code action kind of "fix every problem that needs no choice" (editors run it on save
# with `"editor.codeActionsOnSave": {"source.fixAll.codemyspec": "explicit"}`).
FIX_ALL_CODE_ACTION_KIND: Final = "source.fixAll.codemyspec"
