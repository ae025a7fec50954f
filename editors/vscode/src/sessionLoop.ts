// The client side of a session: ask the server for the next step, run its command, report the
// result, until the workflow is done, the person stops it, or the step budget is spent.
// The server decides every step (protocol.md, "Step progression"); this loop only drives it.
import { ErrorCode } from "./constants";
import type { CommandStep, DoneStatus, ResultInput, Session, SessionStatus } from "./protocol";
import type { CommandRunner } from "./runner";
import type { SessionApi } from "./serverApi";

export interface LoopHooks {
  /** A step is about to run (progress text, status bar). */
  stepStarted?(step: CommandStep, index: number): void;
  /** Called before reporting a result (e.g. let open documents catch up with the disk). */
  beforeReport?(step: CommandStep, result: ResultInput): Promise<void>;
  /** The server accepted the result; `session` is its answer. */
  stepReported?(step: CommandStep, result: ResultInput, session: Session): Promise<void> | void;
}

export type LoopOutcome =
  | { kind: "done"; status: DoneStatus; steps: number }
  | { kind: "paused"; steps: number }
  | { kind: "stopped"; reason: "untrusted" | "declined" | "cancelled"; message: string; steps: number };

export interface LoopOptions {
  /** Commands to run at most (1 for "Run Next Step"). */
  maxSteps: number;
  signal?: AbortSignal;
  hooks?: LoopHooks;
}

/** Upper bound for "Run Session to the End": the server fails a session long before. */
export const RUN_TO_END_MAX_STEPS = 100;

const DONE_BY_STATUS: Record<Exclude<SessionStatus, "active">, DoneStatus> = {
  complete: "success",
  failed: "failed",
  cancelled: "cancelled",
};

export function doneStatusOf(status: SessionStatus): DoneStatus | null {
  return status === "active" ? null : DONE_BY_STATUS[status];
}

function rpcCode(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "number" ? code : undefined;
  }
  return undefined;
}

export async function runSession(
  api: SessionApi,
  runner: CommandRunner,
  sessionId: string,
  options: LoopOptions,
): Promise<LoopOutcome> {
  const { hooks = {}, signal } = options;
  let steps = 0;
  while (steps < options.maxSteps) {
    if (signal?.aborted) {
      return { kind: "stopped", reason: "cancelled", message: "Stopped by the person.", steps };
    }
    const next = await api.nextStep(sessionId);
    if (next.kind === "done") return { kind: "done", status: next.status, steps };

    hooks.stepStarted?.(next, steps);
    const outcome = await runner.run(next.command, signal);
    if (outcome.kind === "refused") {
      return { kind: "stopped", reason: outcome.reason, message: outcome.message, steps };
    }
    steps += 1;
    await hooks.beforeReport?.(next, outcome.result);
    let session: Session;
    try {
      session = await api.reportResult(sessionId, next.interactionId, outcome.result);
    } catch (error) {
      // Another client reported this interaction first: its result stands, carry on from it.
      if (rpcCode(error) === ErrorCode.duplicateResult) continue;
      throw error;
    }
    await hooks.stepReported?.(next, outcome.result, session);
    const done = doneStatusOf(session.status);
    if (done !== null) return { kind: "done", status: done, steps };
    if (signal?.aborted) {
      return {
        kind: "stopped",
        reason: "cancelled",
        message: `Stopped by the person during ${next.step}; the step was reported as an error.`,
        steps,
      };
    }
  }
  return { kind: "paused", steps };
}
