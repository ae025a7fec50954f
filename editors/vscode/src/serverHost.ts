// The language server's life in the editor: start (after checking the interpreter), stop,
// restart, and its state in the status bar. A server that is down is said, with its fix, and
// every command refused meanwhile says why.
import * as vscode from "vscode";
import { State, type LanguageClient } from "vscode-languageclient/node";
import { firstFolder, serverCommands, startClient, type ServerProcess } from "./client";
import { companionApi, type CompanionApi } from "./companion";
import { CONFIG_SECTION, Setting } from "./constants";
import { errorText, sessionApi, type SessionApi } from "./serverApi";
import { ServerTrouble } from "./serverTrouble";
import type { StatusBar } from "./statusBar";

export class ServerHost implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private server: ServerProcess | undefined;
  private clientListeners: vscode.Disposable[] = [];
  private starting: Promise<void> = Promise.resolve();
  private infoTimer: NodeJS.Timeout | undefined;
  private readonly trouble: ServerTrouble;
  /** Fires with each client that started; listeners add their notification handlers. */
  readonly ready = new vscode.EventEmitter<LanguageClient>();

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly status: StatusBar,
    private readonly guard: (handler: () => Promise<void>) => Promise<void>,
  ) {
    this.trouble = new ServerTrouble(() => this.guard(() => this.restart()));
  }

  register(context: vscode.ExtensionContext): void {
    const configWatcher = vscode.workspace.createFileSystemWatcher("**/.codemyspec/config.toml");
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        // Said in the output channel: which of our settings the extension now sees changed.
        const changed = Object.values(Setting).map((key) => `${CONFIG_SECTION}.${key}`).filter((key) => event.affectsConfiguration(key));
        if (changed.length > 0) this.output.appendLine(`Settings changed: ${changed.join(", ")}.`);
        const serverSettings = [Setting.pythonPath, Setting.extraArgs].map((key) => `${CONFIG_SECTION}.${key}`);
        if (serverSettings.some((key) => event.affectsConfiguration(key))) void this.offerRestart();
      }),
      // The agent and store named in the status bar tooltip follow config.toml.
      configWatcher,
      configWatcher.onDidChange(() => this.configChanged()),
      configWatcher.onDidCreate(() => this.configChanged()),
      // Trust unlocks the workspace's interpreter setting: start the server with it.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.guard(() => this.restart())),
    );
  }

  /** Starts the server in the background; commands wait for it through api(). Activation
   * must not wait: VS Code holds every command of an extension until its activate() ends. */
  start(): Promise<void> {
    this.status.setServer({ kind: "starting" });
    this.starting = this.launch().catch((error: unknown) => {
      this.down(`The CodeMySpec language server did not start (${errorText(error)}). See Output: CodeMySpec.`);
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    const started = await startClient(this.output, (how) => {
      this.output.appendLine(`The server process ended unexpectedly (${how}).`);
    });
    if (!started.ok) {
      this.down(started.message, started.installCommand);
      return;
    }
    const client = started.client;
    this.client = client;
    this.server = started.server;
    this.clientListeners = [
      client.onDidChangeState((event) => {
        if (event.newState === State.Stopped && this.client === client) {
          this.client = undefined;
          this.down("The CodeMySpec language server stopped (see Output: CodeMySpec). Run CodeMySpec: Restart Server.");
        } else if (event.newState === State.Running) {
          this.status.setServer({ kind: "running" });
        }
      }),
    ];
    this.trouble.clear();
    this.status.setServer({ kind: "running" });
    void this.refreshWorkspaceInfo();
    this.ready.fire(client);
  }

  private down(message: string, installCommand?: string): void {
    this.output.appendLine(message);
    this.status.setServer({ kind: "down", message });
    this.trouble.report(message, installCommand);
  }

  /** "CodeMySpec: Show Server Status": the reason and the fix when down. Answers whether it showed something. */
  showStatus(): boolean {
    const state = this.status.serverState;
    if (state.kind === "down") this.trouble.show();
    else if (state.kind === "starting") void vscode.window.showInformationMessage("CodeMySpec: the language server is starting.");
    return state.kind !== "running";
  }

  /** The agent and store named in the status bar tooltip (codemyspec/workspaceInfo). */
  async refreshWorkspaceInfo(): Promise<void> {
    try {
      const companion = await this.companion();
      this.status.setWorkspaceInfo(await companion.workspaceInfo(firstFolder()?.uri.toString()));
    } catch (error) {
      this.output.appendLine(`Could not read the workspace facts: ${errorText(error)}`);
    }
  }

  /** config.toml changed on disk: the server reloads its config on
   * `workspace/didChangeConfiguration` (the client sends no didSave for a TOML file). */
  configChanged(): void {
    const client = this.client;
    if (client !== undefined) {
      client.sendNotification("workspace/didChangeConfiguration", { settings: null }).catch((error: unknown) => {
        this.output.appendLine(`Could not tell the server that config.toml changed: ${errorText(error)}`);
      });
    }
    this.workspaceInfoSoon();
  }

  /** A moment after config.toml changed (the server reloads it first). */
  workspaceInfoSoon(): void {
    clearTimeout(this.infoTimer);
    this.infoTimer = setTimeout(() => void this.refreshWorkspaceInfo(), 1_000);
  }

  private async stop(): Promise<void> {
    for (const listener of this.clientListeners) listener.dispose();
    this.clientListeners = [];
    const client = this.client;
    const server = this.server;
    this.client = undefined;
    this.server = undefined;
    if (client === undefined) return;
    try {
      if (server !== undefined) await server.stopping(() => client.stop());
      else await client.stop();
    } catch (error) {
      this.output.appendLine(`Stopping the server: ${errorText(error)}`);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    this.output.appendLine("Restarting the server.");
    await this.start();
    if (this.client !== undefined) void vscode.window.showInformationMessage("CodeMySpec: server restarted.");
  }

  private async offerRestart(): Promise<void> {
    const answer = await vscode.window.showInformationMessage(
      "CodeMySpec: the server settings changed. Restart the server to use them?",
      "Restart",
    );
    if (answer === "Restart") await this.guard(() => this.restart());
  }

  private async connected(): Promise<LanguageClient> {
    await this.starting;
    const client = this.client;
    if (client === undefined) {
      const state = this.status.serverState;
      const why = state.kind === "down" ? `${state.message} ` : "";
      throw new Error(`The CodeMySpec server is not running. ${why}Fix the cause, then run CodeMySpec: Restart Server.`);
    }
    return client;
  }

  async api(): Promise<SessionApi> {
    return sessionApi(await this.connected());
  }

  async companion(): Promise<CompanionApi> {
    const client = await this.connected();
    return companionApi({ sendRequest: (method, params) => client.sendRequest(method, params), serverCommands: () => serverCommands(client) });
  }

  async dispose(): Promise<void> {
    clearTimeout(this.infoTimer);
    await this.stop();
    this.ready.dispose();
  }
}
