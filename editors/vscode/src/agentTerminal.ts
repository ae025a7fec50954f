// An agent command's live view: a pseudoterminal that shows the process's output as it comes,
// and whose Ctrl+C or close button stops the process. Output that arrives before VS Code opens
// the terminal is buffered, so nothing is lost.
import * as vscode from "vscode";
import type { ProcessOutcome } from "./processRun";
import type { Command, ResultInput } from "./protocol";
import type { AgentView } from "./runner";

const CTRL_C = "\x03";

/** Terminals want CRLF; processes write LF. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

export class AgentTerminal implements AgentView {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly stop = new AbortController();
  private pending: string[] | undefined = [];
  private running = true;
  readonly terminal: vscode.Terminal;

  constructor(command: Command) {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      open: () => {
        for (const text of this.pending ?? []) this.writeEmitter.fire(text);
        this.pending = undefined;
      },
      close: () => {
        if (this.running) this.stop.abort();
      },
      handleInput: (data: string) => {
        if (data === CTRL_C && this.running) this.stop.abort();
      },
    };
    this.terminal = vscode.window.createTerminal({ name: `CodeMySpec: ${command.step}`, pty });
    this.terminal.show(true);
    this.emit(`\x1b[1m${command.description}\x1b[0m\r\n$ ${command.argv.map(quoteForDisplay).join(" ")}\r\n\r\n`);
  }

  get stopRequested(): AbortSignal {
    return this.stop.signal;
  }

  write(text: string, stream: "stdout" | "stderr"): void {
    const body = toTerminalText(text);
    this.emit(stream === "stderr" ? `\x1b[31m${body}\x1b[0m` : body);
  }

  finished(outcome: ProcessOutcome, result: ResultInput): void {
    this.running = false;
    const colour = result.status === "error" ? "31" : "32";
    const how = outcome.code === null ? (result.errorMessage ?? "stopped") : `exit code ${outcome.code}`;
    this.emit(`\r\n\x1b[${colour}m[${how}, ${outcome.durationMs} ms]\x1b[0m\r\n`);
  }

  private emit(text: string): void {
    if (this.pending !== undefined) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }
}

/** Shows an argv element the way a person would type it (display only: nothing runs a shell). */
export function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
