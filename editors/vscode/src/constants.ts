// Every name the extension shares with the server (shared/spec/protocol.md, the wire contract)
// or with package.json (command ids, settings). Nothing else spells these strings.

/** Server commands: callable through workspace/executeCommand or as direct request methods. */
export const ServerCommand = {
  startSession: "codemyspec/startSession",
  nextStep: "codemyspec/nextStep",
  reportResult: "codemyspec/reportResult",
  getSession: "codemyspec/getSession",
  listSessions: "codemyspec/listSessions",
  cancelSession: "codemyspec/cancelSession",
} as const;

/** Companion commands (agents, workspace facts, the graph, the name check): newer servers
 * offer them; the extension checks `executeCommandProvider.commands` before calling one. */
export const CompanionCommand = {
  listAgents: "codemyspec/listAgents",
  workspaceInfo: "codemyspec/workspaceInfo",
  getGraph: "codemyspec/getGraph",
  checkContext: "codemyspec/checkContext",
} as const;

/** Server -> client notifications. */
export const ServerNotification = {
  sessionChanged: "codemyspec/sessionChanged",
} as const;

/** JSON-RPC error codes the server answers with. */
export const ErrorCode = {
  invalidParams: -32602,
  sessionNotFound: -32001,
  interactionNotFound: -32002,
  duplicateResult: -32003,
  sessionNotActive: -32004,
  storeUnavailable: -32005,
} as const;

/** Environment variables the server puts in an agent command's `env` (architecture.md). */
export const AgentEnv = {
  step: "CODEMYSPEC_STEP",
  designFile: "CODEMYSPEC_DESIGN_FILE",
  sessionId: "CODEMYSPEC_SESSION_ID",
  contextModule: "CODEMYSPEC_CONTEXT_MODULE",
} as const;

/** Palette commands of this extension (package.json `contributes.commands`). They are NOT the
 * server's ids: vscode-languageclient registers those itself. */
export const PaletteCommand = {
  startSession: "codemyspec.startSession",
  nextStep: "codemyspec.nextStep",
  runToEnd: "codemyspec.runToEnd",
  showSessions: "codemyspec.showSessions",
  cancelSession: "codemyspec.cancelSession",
  openDesignFile: "codemyspec.openDesignFile",
  restartServer: "codemyspec.restartServer",
  chooseAgent: "codemyspec.chooseAgent",
  showArchitecture: "codemyspec.showArchitecture",
  showServerStatus: "codemyspec.showServerStatus",
} as const;

/** Settings (package.json `contributes.configuration`), relative to CONFIG_SECTION. */
export const CONFIG_SECTION = "codemyspec";
export const Setting = {
  pythonPath: "server.pythonPath",
  extraArgs: "server.extraArgs",
  executionMode: "executionMode",
  agentTerminal: "agentTerminal",
} as const;

export const CLIENT_ID = "codemyspec";
export const CLIENT_NAME = "CodeMySpec Language Server";
/** The one output channel: the extension's log and the server's trace (codemyspec.trace.server). */
export const OUTPUT_CHANNEL = "CodeMySpec";
export const SERVER_MODULE = "codemyspec_lsp";
export const SERVER_PACKAGE = "codemyspec-lsp";
export const DIAGNOSTIC_SOURCE = "codemyspec";
export const PYTHON_EXTENSION_ID = "ms-python.python";

/** Scheme of the read-only session timeline documents. */
export const TIMELINE_SCHEME = "codemyspec-session";

export const STEPS = [
  "initialize",
  "generate_context_design",
  "validate_design",
  "revise_design",
  "finalize",
] as const;

/** Steps whose agent writes the design file (the extension then shows that file). */
export const DESIGN_WRITING_STEPS: readonly string[] = ["generate_context_design", "revise_design"];
/** The step whose result the server replaces by validating the design file. */
export const VALIDATE_STEP = "validate_design";
