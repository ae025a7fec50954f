// Starts the language server `<python> -m codemyspec_lsp` over stdio for Markdown documents.
// The extension spawns the process itself (not vscode-languageclient), so that a deliberate
// stop or restart is not logged as an error, and an unexpected exit is said in words.
import { spawn, type ChildProcess } from "node:child_process";
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import {
  CLIENT_ID,
  CLIENT_NAME,
  CONFIG_SECTION,
  SERVER_MODULE,
  Setting,
} from "./constants";
import { checkServer, pythonFromExtension, resolveInterpreter, type Interpreter } from "./interpreter";

export function firstFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

export async function chooseInterpreter(): Promise<Interpreter> {
  const folder = firstFolder();
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
  return resolveInterpreter(config.get<string>(Setting.pythonPath), folder?.uri.fsPath, () =>
    pythonFromExtension(vscode.extensions, folder?.uri),
  );
}

export type ServerStart =
  | { ok: true; client: LanguageClient; interpreter: Interpreter; server: ServerProcess }
  | { ok: false; message: string; installCommand: string; interpreter: Interpreter };

/** The server process of the current client: who started it, and whether its end is expected. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private deliberate = false;

  constructor(private readonly onUnexpectedExit: (how: string) => void) {}

  adopt(child: ChildProcess): void {
    this.child = child;
    child.on("exit", (code, signal) => {
      if (this.child !== child || this.deliberate) return;
      this.onUnexpectedExit(code !== null ? `exit code ${code}` : `signal ${signal ?? "?"}`);
    });
  }

  /** A stop the person asked for: its exit is not an error. Kills a process that lingers. */
  async stopping(stop: () => Promise<void>): Promise<void> {
    this.deliberate = true;
    const child = this.child;
    try {
      await stop();
    } finally {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        child.kill("SIGTERM");
        await exited;
        clearTimeout(timer);
      }
    }
  }
}

/** Checks the interpreter first: a missing package is a message with the fix, not a crash. */
export async function startClient(
  output: vscode.OutputChannel,
  onUnexpectedExit: (how: string) => void,
): Promise<ServerStart> {
  const folder = firstFolder();
  const interpreter = await chooseInterpreter();
  output.appendLine(`Python for the server: ${interpreter.python} (from ${interpreter.source})`);
  const check = await checkServer(interpreter.python, folder?.uri.fsPath);
  if (!check.ok) {
    output.appendLine(check.message);
    return { ok: false, message: check.message, installCommand: check.installCommand, interpreter };
  }
  const extraArgs = vscode.workspace
    .getConfiguration(CONFIG_SECTION, folder?.uri)
    .get<string[]>(Setting.extraArgs, [])
    .filter((arg): arg is string => typeof arg === "string");
  const server = new ServerProcess(onUnexpectedExit);
  const serverOptions: ServerOptions = async () => {
    const child = spawn(interpreter.python, ["-m", SERVER_MODULE, ...extraArgs], {
      cwd: folder?.uri.fsPath,
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
    });
    server.adopt(child);
    return child;
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "markdown" }],
    synchronize: { configurationSection: CONFIG_SECTION },
    outputChannel: output,
    middleware: {
      // VS Code's built-in Markdown support already gives the Outline and breadcrumbs the
      // headings of a design; a second tree beside it only confuses (one outline per file).
      provideDocumentSymbols: () => undefined,
    },
  };
  // The id makes the client read `codemyspec.trace.server` by itself.
  const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  await client.start();
  return { ok: true, client, interpreter, server };
}

/** The server's own command names, as listed at `initialize`. */
export function serverCommands(client: LanguageClient): readonly string[] {
  return client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
}
