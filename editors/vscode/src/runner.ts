// Runs one protocol Command the way its kind asks: `process` quietly, `agent` where the person
// can watch it, `noop` not at all. Refuses in an untrusted workspace and, in manual mode, when
// the person declines. The editor-facing parts come in through RunnerHost, so this file has no
// `vscode` import and the unit tests drive it directly.
import { processResult, runProcess, type ProcessOutcome, type ProcessRequest } from "./processRun";
import type { Command, ExecutionMode, ResultInput } from "./protocol";

/** Where an agent's output goes while it runs (a pseudoterminal in VS Code). */
export interface AgentView {
  write(text: string, stream: "stdout" | "stderr"): void;
  finished(outcome: ProcessOutcome, result: ResultInput): void;
  /** Fires when the person stops the agent from its view (closes it, presses Ctrl+C). */
  readonly stopRequested: AbortSignal;
}

export interface RunnerHost {
  isTrusted(): boolean;
  executionMode(): ExecutionMode;
  /** Modal question showing the argv and description; true when the person approves. */
  confirm(command: Command): Promise<boolean>;
  openAgentView(command: Command): AgentView;
}

export type RunOutcome =
  | { kind: "result"; result: ResultInput }
  | { kind: "refused"; reason: "untrusted" | "declined"; message: string };

export const UNTRUSTED_MESSAGE =
  "CodeMySpec runs no session command in an untrusted workspace (the commands come from the " +
  "workspace's configuration). Trust the workspace to run sessions; diagnostics work either way.";

export type ProcessRunner = (request: ProcessRequest) => Promise<ProcessOutcome>;

export class CommandRunner {
  constructor(
    private readonly host: RunnerHost,
    private readonly run_: ProcessRunner = runProcess,
  ) {}

  async run(command: Command, signal?: AbortSignal): Promise<RunOutcome> {
    if (!this.host.isTrusted()) {
      return { kind: "refused", reason: "untrusted", message: UNTRUSTED_MESSAGE };
    }
    if (command.kind === "noop") return { kind: "result", result: { status: "ok" } };
    if (this.host.executionMode() === "manual" && !(await this.host.confirm(command))) {
      return {
        kind: "refused",
        reason: "declined",
        message: `Not run: ${command.description} (the step stays pending; run it again when ready).`,
      };
    }
    const program = command.argv[0] ?? "";
    const request: ProcessRequest = {
      argv: command.argv,
      cwd: command.cwd,
      env: command.env,
      stdin: command.stdin,
      timeoutMs: command.timeoutMs,
    };
    if (signal !== undefined) request.signal = signal;
    if (command.kind === "process") {
      const outcome = await this.run_(request);
      return { kind: "result", result: processResult(program, outcome, command.timeoutMs) };
    }
    const view = this.host.openAgentView(command);
    const outcome = await this.run_({
      ...request,
      signal: eitherSignal(view.stopRequested, signal),
      onOutput: (text, stream) => view.write(text, stream),
    });
    const result = processResult(program, outcome, command.timeoutMs);
    view.finished(outcome, result);
    return { kind: "result", result };
  }
}

/** Aborts when either signal does (AbortSignal.any is missing from older editors' Node). */
function eitherSignal(first: AbortSignal, second: AbortSignal | undefined): AbortSignal {
  if (second === undefined) return first;
  const both = new AbortController();
  for (const signal of [first, second]) {
    if (signal.aborted) both.abort();
    else signal.addEventListener("abort", () => both.abort(), { once: true });
  }
  return both.signal;
}
