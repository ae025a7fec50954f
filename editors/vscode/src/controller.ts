// The palette commands: each asks what it needs, calls the server through the language
// client, and runs a session's commands through the CommandRunner inside a cancellable
// progress notification.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { firstFolder, startClient } from "./client";
import {
  AgentEnv,
  CONFIG_SECTION,
  DESIGN_WRITING_STEPS,
  PaletteCommand,
  ServerNotification,
  Setting,
  TIMELINE_SCHEME,
  VALIDATE_STEP,
} from "./constants";
import { waitForBufferToMatchDisk } from "./documentSync";
import { renderTimeline, sessionPickRow, statusBarText, statusBarTooltip } from "./present";
import type { CommandStep, ResultInput, Session, SessionChangedParams } from "./protocol";
import { CommandRunner, UNTRUSTED_MESSAGE } from "./runner";
import { errorText, sessionApi, type SessionApi } from "./serverApi";
import { RUN_TO_END_MAX_STEPS, runSession, type LoopOutcome } from "./sessionLoop";
import { SessionTracker, type StepState } from "./sessionTracker";
import { executionModeSetting, vscodeRunnerHost } from "./vscodeHost";

/** A context as a module name: `Accounts` or `Shop.Accounts`. */
const CONTEXT_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

export function validateContextName(value: string): string | undefined {
  const name = value.trim();
  if (name === "") return "Name the bounded context, for example Orders or Shop.Orders.";
  if (!CONTEXT_PATTERN.test(name)) return "Use a module name: letters, digits and _, parts joined by dots (Shop.Orders).";
  return undefined;
}

export class Controller implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private clientListeners: vscode.Disposable[] = [];
  private readonly tracker = new SessionTracker();
  private readonly runner = new CommandRunner(vscodeRunnerHost);
  private readonly statusBar = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private readonly timelineChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private running: AbortController | undefined;
  private starting: Promise<void> = Promise.resolve();

  constructor(private readonly output: vscode.OutputChannel) {
    this.statusBar.command = PaletteCommand.showSessions;
    this.tracker.onChange((session, step) => this.showStatus(session, step));
    this.disposables.push(
      this.statusBar,
      this.timelineChanged,
      vscode.workspace.registerTextDocumentContentProvider(TIMELINE_SCHEME, {
        onDidChange: this.timelineChanged.event,
        provideTextDocumentContent: (uri) => this.timelineText(uri),
      }),
    );
  }

  register(context: vscode.ExtensionContext): void {
    const commands: [string, () => Promise<void>][] = [
      [PaletteCommand.startSession, () => this.startSession()],
      [PaletteCommand.nextStep, () => this.run(1)],
      [PaletteCommand.runToEnd, () => this.run(RUN_TO_END_MAX_STEPS)],
      [PaletteCommand.showSessions, () => this.showSessions()],
      [PaletteCommand.cancelSession, () => this.cancelSession()],
      [PaletteCommand.openDesignFile, () => this.openDesignFile()],
      [PaletteCommand.restartServer, () => this.restartServer()],
    ];
    for (const [id, handler] of commands) {
      context.subscriptions.push(vscode.commands.registerCommand(id, () => this.guard(handler)));
    }
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        const serverSettings = [Setting.pythonPath, Setting.extraArgs].map((key) => `${CONFIG_SECTION}.${key}`);
        if (serverSettings.some((key) => event.affectsConfiguration(key))) void this.offerRestart();
      }),
      // Trust unlocks the workspace's interpreter setting: start the server with it.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.guard(() => this.restartServer())),
    );
  }

  // -- server lifecycle ------------------------------------------------------------------------

  /** Starts the server in the background; commands wait for it through api(). Activation
   * must not wait: VS Code holds every command of an extension until its activate() ends. */
  startServer(): Promise<void> {
    this.starting = this.launch().catch((error: unknown) => {
      this.output.appendLine(`The server did not start: ${errorText(error)}`);
      void vscode.window.showErrorMessage(`CodeMySpec: the language server did not start (${errorText(error)}). See Output: CodeMySpec.`);
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    const started = await startClient(this.output);
    if (started === undefined) return;
    this.client = started.client;
    this.clientListeners = [
      started.client.onNotification(ServerNotification.sessionChanged, (params: SessionChangedParams) =>
        this.sessionChanged(params.session),
      ),
    ];
    this.showStatus(this.tracker.current, this.tracker.currentStep);
    void this.adoptLatestActiveSession(sessionApi(started.client));
  }

  /** After a restart of VS Code, the status bar picks up where the person left off. */
  private async adoptLatestActiveSession(api: SessionApi): Promise<void> {
    try {
      const active = await api.listSessions({ status: "active" });
      const latest = [...active].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
      if (latest !== undefined && this.tracker.current === undefined) this.tracker.update(latest, { makeCurrent: true });
    } catch (error) {
      this.output.appendLine(`Could not list sessions: ${errorText(error)}`);
    }
  }

  private async stopServer(): Promise<void> {
    this.running?.abort();
    for (const listener of this.clientListeners) listener.dispose();
    this.clientListeners = [];
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.stop();
      } catch (error) {
        this.output.appendLine(`Stopping the server: ${errorText(error)}`);
      }
    }
  }

  async restartServer(): Promise<void> {
    await this.stopServer();
    await this.startServer();
    if (this.client !== undefined) void vscode.window.showInformationMessage("CodeMySpec: server restarted.");
  }

  private async offerRestart(): Promise<void> {
    const answer = await vscode.window.showInformationMessage(
      "CodeMySpec: the server settings changed. Restart the server to use them?",
      "Restart",
    );
    if (answer === "Restart") await this.guard(() => this.restartServer());
  }

  private async api(): Promise<SessionApi> {
    await this.starting;
    const client = this.client;
    if (client === undefined) {
      throw new Error("The CodeMySpec server is not running (see Output: CodeMySpec). Fix the cause, then run CodeMySpec: Restart Server.");
    }
    return sessionApi(client);
  }

  // -- session commands ----------------------------------------------------------------------

  private async startSession(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
      return;
    }
    const api = await this.api();
    const context = await vscode.window.showInputBox({
      title: "CodeMySpec: Start Context Design Session",
      prompt: "The bounded context to design, as a module name",
      placeHolder: "Orders or Shop.Orders",
      ignoreFocusOut: true,
      validateInput: validateContextName,
    });
    if (context === undefined) return;
    const description = await vscode.window.showInputBox({
      title: `CodeMySpec: ${context.trim()}`,
      prompt: "What the context is for (optional: press Enter to skip)",
      ignoreFocusOut: true,
    });
    if (description === undefined) return;
    const folder = this.folderForNewSession();
    const session = await api.startSession({
      context: context.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      type: "context_design",
      environment: "vscode",
      executionMode: executionModeSetting(),
      ...(folder ? { workspaceUri: folder.uri.toString() } : {}),
    });
    this.tracker.update(session, { makeCurrent: true });
    this.output.appendLine(`Started session ${session.id} for ${session.context.module} (${session.context.designFile})`);
    void vscode.window
      .showInformationMessage(
        `CodeMySpec: session started for ${session.context.name} (${session.context.designFile}).`,
        "Run Next Step",
        "Run to the End",
      )
      .then((choice) => {
        if (choice === "Run Next Step") void vscode.commands.executeCommand(PaletteCommand.nextStep);
        if (choice === "Run to the End") void vscode.commands.executeCommand(PaletteCommand.runToEnd);
      });
  }

  private folderForNewSession(): vscode.WorkspaceFolder | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    return (active && vscode.workspace.getWorkspaceFolder(active)) ?? firstFolder();
  }

  /** Runs up to `maxSteps` commands of the current (or a picked) active session. */
  private async run(maxSteps: number): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
      return;
    }
    if (this.running !== undefined) {
      void vscode.window.showWarningMessage("CodeMySpec: a session step is already running.");
      return;
    }
    const api = await this.api();
    const session = await this.pickSession(api, "active");
    if (session === undefined) return;
    const abort = new AbortController();
    this.running = abort;
    let settled = this.tracker.currentStep;
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `CodeMySpec: ${session.context.name}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          return runSession(api, this.runner, session.id, {
            maxSteps,
            signal: abort.signal,
            hooks: {
              stepStarted: (step) => {
                settled = this.tracker.currentStep;
                progress.report({ message: `${step.step}: ${step.command.description}` });
                this.tracker.setStep(session.id, { name: step.step, phase: "running" });
                this.output.appendLine(`[${session.context.name}] ${step.step}: ${step.command.description}`);
              },
              beforeReport: (step) => this.beforeReport(step),
              stepReported: (step, result, answer) => this.stepReported(step, result, answer),
            },
          });
        },
      );
      // Declined or refused: nothing ran, so the status bar goes back to the last real step.
      if (outcome.kind === "stopped" && outcome.reason !== "cancelled") this.tracker.setStep(session.id, settled);
      this.announce(session, outcome);
    } finally {
      this.running = undefined;
    }
  }

  private async beforeReport(step: CommandStep): Promise<void> {
    if (step.step !== VALIDATE_STEP) return;
    const designFile = designFileOf(step);
    if (designFile !== undefined && !(await waitForBufferToMatchDisk(designFile))) {
      this.output.appendLine(`The open buffer of ${designFile} still differs from the disk; validating the buffer.`);
    }
  }

  private async stepReported(step: CommandStep, result: ResultInput, session: Session): Promise<void> {
    const stored = session.interactions?.find((interaction) => interaction.id === step.interactionId)?.result;
    const shown = stored ?? result;
    this.output.appendLine(
      `[${session.context.name}] ${step.step} -> ${shown.status}${shown.errorMessage ? `\n${shown.errorMessage}` : ""}`,
    );
    // Show the design the agent wrote, and keep it in view while it is validated and revised.
    const designFile = designFileOf(step);
    if (designFile !== undefined && DESIGN_WRITING_STEPS.includes(step.step) && result.status !== "error") {
      await this.showFile(vscode.Uri.file(designFile));
    }
    this.tracker.update(session);
    this.tracker.setStep(session.id, { name: step.step, phase: shown.status });
  }

  private announce(session: Session, outcome: LoopOutcome): void {
    const name = session.context.name;
    switch (outcome.kind) {
      case "done":
        if (outcome.status === "success") void vscode.window.showInformationMessage(`CodeMySpec: the ${name} session is complete.`);
        else if (outcome.status === "failed") void vscode.window.showErrorMessage(`CodeMySpec: the ${name} session failed. Show Sessions opens its timeline.`);
        else void vscode.window.showWarningMessage(`CodeMySpec: the ${name} session was cancelled.`);
        return;
      case "stopped":
        if (outcome.reason === "untrusted") void vscode.window.showWarningMessage(outcome.message);
        else void vscode.window.showInformationMessage(`CodeMySpec: ${outcome.message}`);
        return;
      case "paused":
        return;
    }
  }

  private async cancelSession(): Promise<void> {
    const api = await this.api();
    const session = await this.pickSession(api, "active");
    if (session === undefined) return;
    const answer = await vscode.window.showWarningMessage(
      `Cancel the CodeMySpec session for ${session.context.name}?`,
      { modal: true, detail: "A cancelled session cannot be resumed. Its design file stays as it is." },
      "Cancel Session",
    );
    if (answer !== "Cancel Session") return;
    if (this.tracker.current?.id === session.id) this.running?.abort();
    this.tracker.update(await api.cancelSession(session.id));
  }

  private async showSessions(): Promise<void> {
    const api = await this.api();
    const sessions = (await api.listSessions()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage("CodeMySpec: no session yet. Run CodeMySpec: Start Context Design Session.");
      return;
    }
    const picked = await vscode.window.showQuickPick(
      sessions.map((session) => ({ ...sessionPickRow(session), session })),
      { title: "CodeMySpec sessions", placeHolder: "Pick a session to open its timeline", matchOnDetail: true },
    );
    if (picked === undefined) return;
    this.tracker.update(picked.session, { makeCurrent: true });
    const document = await vscode.workspace.openTextDocument(timelineUri(picked.session));
    await vscode.window.showTextDocument(document, { preview: true });
  }

  private async openDesignFile(): Promise<void> {
    const api = await this.api();
    const session = await this.pickSession(api, undefined);
    if (session === undefined) return;
    const uri = designFileUri(session.context.designFile);
    if (uri === undefined) {
      void vscode.window.showWarningMessage(`CodeMySpec: ${session.context.designFile} does not exist yet.`);
      return;
    }
    await this.showFile(uri, false);
  }

  private async showFile(uri: vscode.Uri, preserveFocus = true): Promise<void> {
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true, preserveFocus });
    } catch (error) {
      this.output.appendLine(`Could not open ${uri.fsPath}: ${errorText(error)}`);
    }
  }

  /** The current session when it fits, the only candidate, or the person's pick. */
  private async pickSession(api: SessionApi, status: "active" | undefined): Promise<Session | undefined> {
    const current = this.tracker.current;
    if (current !== undefined && (status === undefined || current.status === status)) return current;
    const sessions = await api.listSessions(status === undefined ? {} : { status });
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage(
        `CodeMySpec: no ${status ?? ""} session. Run CodeMySpec: Start Context Design Session.`.replace("  ", " "),
      );
      return undefined;
    }
    if (sessions.length === 1) return sessions[0];
    const picked = await vscode.window.showQuickPick(
      sessions.map((session) => ({ ...sessionPickRow(session), session })),
      { title: "CodeMySpec: which session?" },
    );
    return picked?.session;
  }

  // -- notifications, status bar, timeline ----------------------------------------------------

  private sessionChanged(session: Session): void {
    this.tracker.update(session);
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === TIMELINE_SCHEME && document.uri.query === session.id) {
        this.timelineChanged.fire(document.uri);
      }
    }
  }

  private showStatus(session: Session | undefined, step: StepState | undefined): void {
    if (this.client === undefined) {
      this.statusBar.hide();
      return;
    }
    if (session === undefined) {
      this.statusBar.text = "$(notebook) CodeMySpec";
      this.statusBar.tooltip = "No session yet: click to show sessions";
    } else {
      this.statusBar.text = statusBarText(session, step);
      this.statusBar.tooltip = statusBarTooltip(session);
    }
    this.statusBar.show();
  }

  private async timelineText(uri: vscode.Uri): Promise<string> {
    try {
      return renderTimeline(await (await this.api()).getSession(uri.query));
    } catch (error) {
      return `# Session ${uri.query}\n\nCould not read the session: ${errorText(error)}\n`;
    }
  }

  /** Runs a command handler, turning any failure into a message instead of a silent rejection. */
  private async guard(handler: () => Promise<void>): Promise<void> {
    try {
      await handler();
    } catch (error) {
      const message = errorText(error);
      this.output.appendLine(`Error: ${message}`);
      void vscode.window.showErrorMessage(`CodeMySpec: ${message}`);
    }
  }

  async dispose(): Promise<void> {
    await this.stopServer();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function timelineUri(session: Session): vscode.Uri {
  const name = `${session.context.name}-${session.id.slice(0, 8)}.md`.replace(/[^\w.-]/g, "_");
  return vscode.Uri.from({ scheme: TIMELINE_SCHEME, path: `/${name}`, query: session.id });
}

/** The absolute design file of a step: the agent's env names it; else metadata, against cwd. */
function designFileOf(step: CommandStep): string | undefined {
  const fromEnv = step.command.env[AgentEnv.designFile];
  if (fromEnv) return fromEnv;
  const relative = step.command.metadata["designFile"];
  return typeof relative === "string" ? path.resolve(step.command.cwd, relative) : undefined;
}

function designFileUri(relative: string): vscode.Uri | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const candidate = vscode.Uri.joinPath(folder.uri, relative);
    if (existsSync(candidate.fsPath)) return candidate;
  }
  return undefined;
}
