// An in-memory SessionApi that follows protocol.md's step progression, so the session loop is
// tested against the contract rather than against a script of canned answers.
import type { Command, CommandStep, NextStep, ResultInput, Session, StepName } from "../src/protocol";
import type { SessionApi } from "../src/serverApi";
import { nodeArgv, session as sessionShape } from "./helpers";

interface Row {
  id: string;
  seq: number;
  step: StepName;
  command: Command;
  result: ResultInput | null;
}

export class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export class FakeServer implements SessionApi {
  readonly rows: Row[] = [];
  readonly reports: { interactionId: string; result: ResultInput }[] = [];
  status: Session["status"] = "active";
  /** Validations that fail before one passes (the replay agent's first design has errors). */
  failingValidations = 1;
  maxAttempts = 3;
  /** argv of the agent for generate/revise; a quick node program by default. */
  agentArgv: string[] = nodeArgv("process.stdout.write('design written')");
  /** When set, reportResult answers -32003 once, as if another client reported first. */
  duplicateOnce = false;

  async startSession(): Promise<Session> {
    return this.session();
  }

  async nextStep(sessionId: string): Promise<NextStep> {
    if (this.status !== "active") {
      const status = this.status === "complete" ? "success" : this.status;
      return { kind: "done", sessionId, status };
    }
    const latest = this.rows.at(-1);
    if (latest !== undefined && latest.result === null) return this.commandStep(latest);
    const step = this.following(latest);
    const seq = this.rows.length + 1;
    const agent = step === "generate_context_design" || step === "revise_design";
    const row: Row = {
      id: `i-${seq}`,
      seq,
      step,
      result: null,
      command: {
        id: `c-${seq}`,
        step,
        kind: agent ? "agent" : "noop",
        argv: agent ? this.agentArgv : [],
        cwd: process.cwd(),
        stdin: agent ? "prompt" : null,
        env: agent ? { CODEMYSPEC_SESSION_ID: "s-1", CODEMYSPEC_CONTEXT_MODULE: "Shop.Orders", CODEMYSPEC_STEP: step } : {},
        timeoutMs: 30_000,
        description: `run ${step}`,
        metadata: {},
        timestamp: "2026-11-25T10:00:00Z",
      },
    };
    this.rows.push(row);
    return this.commandStep(row);
  }

  async reportResult(_sessionId: string, interactionId: string, result: ResultInput): Promise<Session> {
    const row = this.rows.find((r) => r.id === interactionId);
    if (row === undefined) throw new RpcError(-32002, "interaction not found");
    if (this.duplicateOnce) {
      this.duplicateOnce = false;
      row.result = { status: "ok" };
      throw new RpcError(-32003, "interaction already has a result");
    }
    if (row.result !== null) throw new RpcError(-32003, "interaction already has a result");
    this.reports.push({ interactionId, result });
    row.result = result;
    if (row.step === "validate_design") {
      row.result = this.failingValidations-- > 0 ? { status: "error", errorMessage: "3:1 CMS101 missing section" } : { status: "ok" };
    }
    if (row.step === "finalize" && row.result.status !== "error") this.status = "complete";
    const failuresInARow = this.rows.slice().reverse().findIndex((r) => r.step !== row.step || r.result?.status !== "error");
    const streak = failuresInARow === -1 ? this.rows.length : failuresInARow;
    if (row.step !== "validate_design" && streak >= this.maxAttempts) this.status = "failed";
    return this.session();
  }

  async getSession(): Promise<Session> {
    return this.session();
  }

  async listSessions(): Promise<Session[]> {
    return [this.session()];
  }

  async cancelSession(): Promise<Session> {
    this.status = "cancelled";
    return this.session();
  }

  steps(): string[] {
    return this.rows.map((r) => `${r.step}:${r.result?.status ?? "pending"}`);
  }

  private following(latest: Row | undefined): StepName {
    if (latest === undefined) return "initialize";
    const failed = latest.result?.status === "error";
    if (latest.step === "validate_design") return failed ? "revise_design" : "finalize";
    if (failed) return latest.step;
    const order: Record<string, StepName> = {
      initialize: "generate_context_design",
      generate_context_design: "validate_design",
      revise_design: "validate_design",
    };
    return order[latest.step] ?? "finalize";
  }

  private commandStep(row: Row): CommandStep {
    return { kind: "command", sessionId: "s-1", interactionId: row.id, step: row.step, command: row.command };
  }

  private session(): Session {
    return sessionShape({ status: this.status });
  }
}
