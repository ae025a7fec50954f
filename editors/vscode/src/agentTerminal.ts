// An agent's live view: one pseudoterminal per session, reused by every agent step with a
// header per step. It shows the process's output as it comes (JSON event lines as readable
// text, see agentOutput.ts), and its Ctrl+C or close button stops the running agent. Output
// that arrives before VS Code opens the terminal is buffered, so nothing is lost.
import * as vscode from "vscode";
import { AgentOutputRenderer } from "./agentOutput";
import { AgentEnv } from "./constants";
import type { ProcessOutcome } from "./processRun";
import type { Command, ResultInput } from "./protocol";
import type { AgentView } from "./runner";

const CTRL_C = "\x03";

/** Terminals want CRLF; processes write LF. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

/** The terminal of one session. `step()` starts a step's section and returns its view. */
export class SessionTerminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  private pending: string[] | undefined = [];
  private stop: AbortController | undefined;
  private closed = false;
  private steps = 0;
  readonly terminal: vscode.Terminal;

  constructor(readonly title: string) {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      onDidClose: this.closeEmitter.event,
      open: () => {
        for (const text of this.pending ?? []) this.writeEmitter.fire(text);
        this.pending = undefined;
      },
      close: () => {
        this.closed = true;
        this.stop?.abort();
      },
      handleInput: (data: string) => {
        if (data === CTRL_C) this.stop?.abort();
      },
    };
    this.terminal = vscode.window.createTerminal({ name: title, pty });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  step(command: Command): AgentView {
    const stop = new AbortController();
    this.stop = stop;
    this.steps += 1;
    this.terminal.show(true);
    const rule = "─".repeat(8);
    const gap = this.steps > 1 ? "\r\n" : "";
    this.emit(`${gap}\x1b[1m${rule} ${command.step}: ${command.description} ${rule}\x1b[0m\r\n`);
    this.emit(`$ ${command.argv.map(quoteForDisplay).join(" ")}\r\n\r\n`);
    const renderer = new AgentOutputRenderer(outputFormat(command));
    return {
      stopRequested: stop.signal,
      write: (text, stream) => {
        if (stream === "stderr") this.emit(`\x1b[31m${toTerminalText(text)}\x1b[0m`);
        else this.emit(toTerminalText(renderer.feed(text)));
      },
      finished: (outcome: ProcessOutcome, result: ResultInput) => {
        if (this.stop === stop) this.stop = undefined;
        const rest = renderer.finish();
        if (rest) this.emit(toTerminalText(rest));
        const colour = result.status === "error" ? "31" : "32";
        const how = outcome.code === null ? (result.errorMessage ?? "stopped") : `exit code ${outcome.code}`;
        this.emit(`\r\n\x1b[${colour}m[${command.step}: ${how}, ${outcome.durationMs} ms]\x1b[0m\r\n`);
      },
    };
  }

  dispose(): void {
    this.closed = true;
    this.stop?.abort();
    this.terminal.dispose();
  }

  private emit(text: string): void {
    if (this.pending !== undefined) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }
}

/** One terminal per session id; a closed one is replaced on the next agent step. */
export class SessionTerminals {
  private readonly terminals = new Map<string, SessionTerminal>();

  view(command: Command): AgentView {
    const key = command.env[AgentEnv.sessionId] ?? "";
    let terminal = this.terminals.get(key);
    if (terminal === undefined || terminal.isClosed) {
      const context = command.env[AgentEnv.contextModule];
      terminal = new SessionTerminal(context ? `CodeMySpec: ${context}` : "CodeMySpec: agent");
      this.terminals.set(key, terminal);
    }
    return terminal.step(command);
  }

  /** The session ended and the person asked for its terminal to close (codemyspec.agentTerminal). */
  close(sessionId: string): void {
    this.terminals.get(sessionId)?.dispose();
    this.terminals.delete(sessionId);
  }

  count(): number {
    return [...this.terminals.values()].filter((terminal) => !terminal.isClosed).length;
  }
}

/** The agent's output format (the server's `metadata.output`, agents.md), "text" by default. */
export function outputFormat(command: Command): string {
  const output = command.metadata["output"];
  return typeof output === "string" && output !== "" ? output : "text";
}

/** Shows an argv element the way a person would type it (display only: nothing runs a shell). */
export function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
