// The wire shapes of shared/spec/protocol.md as TypeScript types (camelCase JSON).

export type StepName =
  | "initialize"
  | "generate_context_design"
  | "validate_design"
  | "revise_design"
  | "finalize";
export type CommandKind = "process" | "agent" | "noop";
export type ResultStatus = "ok" | "warning" | "error";
export type SessionStatus = "active" | "complete" | "failed" | "cancelled";
export type DoneStatus = "success" | "failed" | "cancelled";
export type ExecutionMode = "manual" | "auto";
export type Environment = "vscode" | "neovim" | "cli" | "local";

export interface Command {
  id: string;
  step: StepName;
  kind: CommandKind;
  argv: string[];
  cwd: string;
  stdin: string | null;
  env: Record<string, string>;
  timeoutMs: number;
  description: string;
  metadata: Record<string, unknown>;
  timestamp: string;
}

export interface ResultInput {
  status: ResultStatus;
  code?: number | null;
  stdout?: string | null;
  stderr?: string | null;
  errorMessage?: string | null;
  durationMs?: number | null;
  data?: Record<string, unknown> | null;
}

export interface Result extends ResultInput {
  timestamp: string;
}

export interface Interaction {
  id: string;
  seq: number;
  step: StepName;
  command: Command;
  result: Result | null;
  completedAt: string | null;
}

export interface SessionContext {
  name: string;
  module: string;
  designFile: string;
  description?: string | null;
}

export interface Session {
  id: string;
  type: "context_design";
  context: SessionContext;
  status: SessionStatus;
  environment: Environment;
  executionMode: ExecutionMode;
  state: Record<string, unknown>;
  /** Absent in listSessions results and sessionChanged notifications. */
  interactions?: Interaction[];
  createdAt: string;
  updatedAt: string;
}

export interface CommandStep {
  kind: "command";
  sessionId: string;
  interactionId: string;
  step: StepName;
  command: Command;
}

export interface DoneStep {
  kind: "done";
  sessionId: string;
  status: DoneStatus;
}

export type NextStep = CommandStep | DoneStep;

export interface StartSessionParams {
  context: string;
  description?: string;
  type?: "context_design";
  environment?: Environment;
  executionMode?: ExecutionMode;
  workspaceUri?: string;
}

export interface ListSessionsParams {
  status?: SessionStatus;
  workspaceUri?: string;
}

export interface SessionChangedParams {
  session: Session;
}
