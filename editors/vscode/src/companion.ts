// The companion commands beside the six session commands (agents, workspace facts, the context
// graph, the context-name check). A server that predates one of them does not list it in
// `executeCommandProvider.commands`: the call then answers `undefined` and the caller says so
// in plain words instead of showing a JSON-RPC error.
import { CompanionCommand } from "./constants";
import type { RequestSender } from "./serverApi";

export interface AgentInfo {
  name: string;
  executable: string;
  found: boolean;
  path: string | null;
  version: string | null;
  selected: boolean;
  argv: { generate: string[]; revise: string[] };
  promptOn: "stdin" | "argument";
  resume: boolean;
  selfCheck: boolean;
  usage: boolean;
}

export interface WorkspaceInfo {
  version: string;
  workspace: string;
  agent: { name: string; executable: string; found: boolean; path: string | null; version: string | null };
  store: { kind: "tinydb" | "postgresql" | string; location: string };
}

export interface GraphContext {
  module: string;
  designFile: string;
  title: string;
  valid: boolean;
  errors: number;
}

export interface Graph {
  contexts: GraphContext[];
  edges: { from: string; to: string }[];
  cycles: string[][];
  undesigned: { from: string; module: string }[];
  mermaid?: string;
}

export interface ContextCheck {
  valid: boolean;
  message: string | null;
  name: string;
  module: string | null;
  designFile: string | null;
  designExists: boolean;
  designValid: boolean | null;
  sessions: { id: string; status: string }[];
}

/** What the extension needs from the language client for companion commands. */
export interface CompanionSender extends RequestSender {
  /** The commands the server listed at `initialize`. */
  serverCommands(): readonly string[];
}

export interface CompanionApi {
  listAgents(workspaceUri?: string): Promise<AgentInfo[] | undefined>;
  workspaceInfo(workspaceUri?: string): Promise<WorkspaceInfo | undefined>;
  getGraph(workspaceUri?: string): Promise<Graph | undefined>;
  checkContext(context: string, workspaceUri?: string): Promise<ContextCheck | undefined>;
}

/** The sentence shown when the running server lacks a command this extension needs. */
export function missingCommandMessage(command: string, what: string): string {
  return (
    `CodeMySpec: ${what} needs a newer language server (it does not offer ${command}). ` +
    "Update it (pip install -U codemyspec-lsp), then run CodeMySpec: Restart Server."
  );
}

export function companionApi(sender: CompanionSender): CompanionApi {
  const call = async <R>(command: string, params: object): Promise<R | undefined> => {
    if (!sender.serverCommands().includes(command)) return undefined;
    return sender.sendRequest<R>("workspace/executeCommand", { command, arguments: [params] });
  };
  const folder = (workspaceUri: string | undefined): object => (workspaceUri ? { workspaceUri } : {});
  return {
    listAgents: async (workspaceUri) =>
      (await call<{ agents: AgentInfo[] }>(CompanionCommand.listAgents, folder(workspaceUri)))?.agents,
    workspaceInfo: (workspaceUri) => call<WorkspaceInfo>(CompanionCommand.workspaceInfo, folder(workspaceUri)),
    getGraph: (workspaceUri) => call<Graph>(CompanionCommand.getGraph, folder(workspaceUri)),
    checkContext: (context, workspaceUri) =>
      call<ContextCheck>(CompanionCommand.checkContext, { context, ...folder(workspaceUri) }),
  };
}
