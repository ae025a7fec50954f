// Runs one argv (never through a shell) and turns its end into a protocol ResultInput.
// Knows nothing of VS Code, so the unit tests run it against real processes.
import { spawn } from "node:child_process";
import type { ResultInput } from "./protocol";

/** Characters kept per stream: the server refuses fields over 10 MB, and the tail is what
 * a person (or the revise prompt) needs. */
export const MAX_CAPTURE = 1_000_000;
/** After SIGTERM, how long a process gets before SIGKILL. */
export const KILL_GRACE_MS = 2_000;

export interface ProcessRequest {
  argv: readonly string[];
  cwd: string;
  /** Added to the extension host's own environment. */
  env: Record<string, string>;
  stdin: string | null;
  /** 0 or less: no limit. */
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

export interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started at all (missing program, missing cwd). */
  spawnError: string | null;
}

class Capture {
  private text = "";
  private dropped = false;
  add(chunk: string): void {
    this.text += chunk;
    if (this.text.length > MAX_CAPTURE) {
      this.text = this.text.slice(this.text.length - MAX_CAPTURE);
      this.dropped = true;
    }
  }
  value(): string {
    return this.dropped ? `[earlier output dropped]\n${this.text}` : this.text;
  }
}

export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  const started = Date.now();
  const stdout = new Capture();
  const stderr = new Capture();
  let timedOut = false;
  let cancelled = false;

  return new Promise((resolve) => {
    let finished = false;
    const finish = (partial: Pick<ProcessOutcome, "code" | "signal" | "spawnError">): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      request.signal?.removeEventListener("abort", onAbort);
      resolve({
        ...partial,
        stdout: stdout.value(),
        stderr: stderr.value(),
        durationMs: Date.now() - started,
        timedOut,
        cancelled,
      });
    };
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const [program, ...args] = request.argv;
    if (program === undefined || program === "") {
      finish({ code: null, signal: null, spawnError: "the command has no program to run (empty argv)" });
      return;
    }
    if (request.signal?.aborted) {
      cancelled = true;
      finish({ code: null, signal: null, spawnError: null });
      return;
    }

    // Own process group (POSIX), so that killing it also ends what the program started.
    const ownGroup = process.platform !== "win32";
    const child = spawn(program, args, {
      cwd: request.cwd,
      env: { ...process.env, ...request.env },
      shell: false,
      detached: ownGroup,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });

    const kill = (signal: NodeJS.Signals): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        child.kill(signal);
      }
    };
    const stop = (): void => {
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), KILL_GRACE_MS);
    };
    function onAbort(): void {
      cancelled = true;
      stop();
    }
    request.signal?.addEventListener("abort", onAbort);
    if (request.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, request.timeoutMs);
    }

    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout.add(chunk);
      request.onOutput?.(chunk, "stdout");
    });
    child.stderr.on("data", (chunk: string) => {
      stderr.add(chunk);
      request.onOutput?.(chunk, "stderr");
    });
    // A program that exits without reading its input closes the pipe: not our error.
    child.stdin.on("error", () => undefined);
    if (request.stdin !== null) child.stdin.write(request.stdin);
    child.stdin.end();

    let spawnError: string | null = null;
    child.on("error", (error: NodeJS.ErrnoException) => {
      spawnError = `could not start ${program} in ${request.cwd}: ${error.code ?? error.message}`;
      // 'close' may never come when the spawn itself failed.
      if (child.pid === undefined) finish({ code: null, signal: null, spawnError });
    });
    child.on("close", (code, signal) => finish({ code, signal, spawnError }));
  });
}

/** The protocol's ResultInput for a finished process: a non-zero exit is an error. */
export function processResult(program: string, outcome: ProcessOutcome, timeoutMs: number): ResultInput {
  const base: ResultInput = {
    status: "ok",
    code: outcome.code,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    durationMs: outcome.durationMs,
  };
  const error = (errorMessage: string): ResultInput => ({ ...base, status: "error", errorMessage });
  // A program that could not be started reads as the shell's "command not found" (127), so
  // the server classifies it as `not_found` (agents.md).
  if (outcome.spawnError !== null) return { ...error(outcome.spawnError), code: outcome.spawnError.endsWith("ENOENT") ? 127 : 126 };
  if (outcome.cancelled) return error(`cancelled by the person: ${program} was stopped`);
  if (outcome.timedOut) return error(`${program} timed out after ${timeoutMs} ms and was stopped`);
  if (outcome.code === null) return error(`${program} was killed by ${outcome.signal ?? "a signal"}`);
  if (outcome.code !== 0) {
    const lastLine = outcome.stderr.trim().split("\n").pop() ?? "";
    return error(`${program} exited with code ${outcome.code}${lastLine ? `: ${lastLine}` : ""}`);
  }
  return base;
}
