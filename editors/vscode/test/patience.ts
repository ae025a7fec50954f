// Bounds for the unit tests' waits, from a measurement in the same run, never a constant: a
// multiple of how long this machine takes, right now, to start and end a Node process (what
// every agent and process test does). Waits themselves are for events, not for time.
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { StubTerminal } from "./vscodeStub";

export const PATIENCE = 20;
let spawnMs: number | undefined;

/** How long `node -e ""` takes here (measured once per test file). */
export function spawnTime(): number {
  if (spawnMs === undefined) {
    const started = performance.now();
    spawnSync(process.execPath, ["-e", ""]);
    spawnMs = performance.now() - started;
  }
  return spawnMs;
}

/** A hang guard for one wait: PATIENCE times the measured start of a process, or of `atLeastMs`. */
export function bound(atLeastMs = 0): number {
  return PATIENCE * Math.max(spawnTime(), atLeastMs);
}

/** Resolves with `promise`, or fails naming `what` when it is not settled within `ms`. */
export function within<T>(promise: Promise<T>, what: string, ms = bound()): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${Math.round(ms)} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Opens a stub agent terminal and resolves once its screen shows `text`. */
export function terminalShows(terminal: StubTerminal, text: string): Promise<void> {
  return new Promise((resolve) => {
    let screen = "";
    terminal.pty.onDidWrite((written) => {
      screen += written;
      if (screen.includes(text)) resolve();
    });
    terminal.pty.open(undefined);
  });
}
