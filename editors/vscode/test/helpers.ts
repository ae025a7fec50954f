// Builders for protocol shapes used across the unit tests.
import type { Command, CommandStep, Session } from "../src/protocol";

export function command(overrides: Partial<Command> = {}): Command {
  return {
    id: "cmd-1",
    step: "initialize",
    kind: "process",
    argv: [process.execPath, "-e", "process.stdout.write('hi')"],
    cwd: process.cwd(),
    stdin: null,
    env: {},
    timeoutMs: 60_000,
    description: "say hi",
    metadata: {},
    timestamp: "2026-11-25T10:00:00.000000Z",
    ...overrides,
  };
}

export function session(overrides: Partial<Session> = {}): Session {
  return {
    id: "s-1",
    type: "context_design",
    context: { name: "Orders", module: "Shop.Orders", designFile: "docs/design/shop/orders.md" },
    status: "active",
    environment: "vscode",
    executionMode: "auto",
    state: {},
    createdAt: "2026-11-25T10:00:00.000000Z",
    updatedAt: "2026-11-25T10:00:00.000000Z",
    ...overrides,
  };
}

export function commandStep(step: Command["step"], overrides: Partial<Command> = {}, seq = 1): CommandStep {
  return {
    kind: "command",
    sessionId: "s-1",
    interactionId: `i-${seq}`,
    step,
    command: command({ step, id: `cmd-${seq}`, ...overrides }),
  };
}

/** A node program, as argv, so tests run real processes without a shell. */
export function nodeArgv(source: string): string[] {
  return [process.execPath, "-e", source];
}
