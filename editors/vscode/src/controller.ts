// The palette commands: each asks what it needs, calls the server through the language
// client, and runs a session's commands through the CommandRunner inside a cancellable
// progress notification. Every step's outcome is said; a server that is down is said too.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { chooseAgent } from "./agentPicker";
import { ArchitecturePanel } from "./architecture";
import { SessionTerminals } from "./agentTerminal";
import { firstFolder } from "./client";
import type { CompanionApi } from "./companion";
import {
  AgentEnv,
  DESIGN_WRITING_STEPS,
  PaletteCommand,
  ServerNotification,
  TIMELINE_SCHEME,
  VALIDATE_STEP,
} from "./constants";
import { waitForBufferToMatchDisk } from "./documentSync";
import { failureReason, renderTimeline, validationErrorCount } from "./present";
import type { CommandStep, ResultInput, Session, SessionChangedParams } from "./protocol";
import { CommandRunner, UNTRUSTED_MESSAGE } from "./runner";
import { errorText, sessionApi, type SessionApi } from "./serverApi";
import { ServerHost } from "./serverHost";
import { askContext, confirmAgentFound } from "./sessionStart";
import { pickSession, sessionAction } from "./sessionsMenu";
import { RUN_TO_END_MAX_STEPS, runSession, type LoopOutcome } from "./sessionLoop";
import { SessionTracker } from "./sessionTracker";
import { StatusBar } from "./statusBar";
import { executionModeSetting, keepAgentTerminal, vscodeRunnerHost } from "./vscodeHost";

interface Reported {
  step: CommandStep;
  session: Session;
  status: ResultInput["status"];
}

export class Controller implements vscode.Disposable {
  private clientListeners: vscode.Disposable[] = [];
  private readonly tracker = new SessionTracker();
  private readonly terminals = new SessionTerminals();
  private readonly runner = new CommandRunner(vscodeRunnerHost(this.terminals));
  private readonly status = new StatusBar();
  private readonly host: ServerHost;
  private readonly timelineChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private running: AbortController | undefined;
  /** Listeners of "the server (re)started": the architecture view refreshes on it. */
  readonly serverReady = new vscode.EventEmitter<void>();
  readonly sessionUpdated = new vscode.EventEmitter<Session>();

  constructor(private readonly output: vscode.OutputChannel) {
    this.host = new ServerHost(output, this.status, (handler) => this.guard(handler));
    this.host.ready.event((client) => this.adopt(client));
    this.tracker.onChange((session, step) => this.status.setSession(session, step));
    this.disposables.push(
      this.status,
      this.timelineChanged,
      this.serverReady,
      this.sessionUpdated,
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
      [PaletteCommand.showServerStatus, () => this.showServerStatus()],
      [PaletteCommand.chooseAgent, () => this.chooseAgent()],
      [PaletteCommand.showArchitecture, () => architecture.show()],
    ];
    const architecture = new ArchitecturePanel(context.extensionUri, () => this.companion(), this.output);
    context.subscriptions.push(
      architecture,
      this.serverReady.event(() => architecture.refreshSoon()),
      this.sessionUpdated.event(() => architecture.refreshSoon()),
    );
    for (const [id, handler] of commands) {
      context.subscriptions.push(vscode.commands.registerCommand(id, () => this.guard(handler)));
    }
    this.host.register(context);
  }

  // -- server lifecycle ------------------------------------------------------------------------

  startServer(): Promise<void> {
    return this.host.start();
  }

  /** The client started: follow its session notifications, pick up the latest active session. */
  private adopt(client: LanguageClient): void {
    this.clientListeners.forEach((listener) => listener.dispose());
    this.clientListeners = [
      client.onNotification(ServerNotification.sessionChanged, (params: SessionChangedParams) => this.sessionChanged(params.session)),
    ];
    this.status.setSession(this.tracker.current, this.tracker.currentStep);
    void this.adoptLatestActiveSession(sessionApi(client));
    this.serverReady.fire();
  }

  private async showServerStatus(): Promise<void> {
    if (!this.host.showStatus()) await this.showSessions();
  }

  private async chooseAgent(): Promise<void> {
    if (await chooseAgent(await this.companion(), this.folderForNewSession())) this.host.configChanged();
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

  async restartServer(): Promise<void> {
    this.running?.abort();
    await this.host.restart();
  }

  api(): Promise<SessionApi> {
    return this.host.api();
  }

  companion(): Promise<CompanionApi> {
    return this.host.companion();
  }

  // -- session commands ----------------------------------------------------------------------

  private async startSession(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
      return;
    }
    const api = await this.api();
    const companion = await this.companion();
    const folder = this.folderForNewSession();
    const workspaceUri = folder?.uri.toString();
    const asked = await askContext(companion, api, workspaceUri);
    if (asked === undefined) return;
    if (asked.kind === "resume") {
      await this.run(1, asked.session);
      return;
    }
    const description = await vscode.window.showInputBox({
      title: `CodeMySpec: ${asked.context}`,
      prompt: "What the context is for (optional: press Enter to skip)",
      ignoreFocusOut: true,
    });
    if (description === undefined) return;
    if (!(await confirmAgentFound(companion, workspaceUri))) return;
    const session = await api.startSession({
      context: asked.context,
      ...(description.trim() ? { description: description.trim() } : {}),
      type: "context_design",
      environment: "vscode",
      executionMode: executionModeSetting(),
      ...(workspaceUri ? { workspaceUri } : {}),
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

  /** Runs up to `maxSteps` commands of the given, the current or a picked active session. */
  private async run(maxSteps: number, chosen?: Session): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
      return;
    }
    if (this.running !== undefined) {
      void vscode.window.showWarningMessage("CodeMySpec: a session step is already running.");
      return;
    }
    const api = await this.api();
    const session = chosen ?? (await pickSession(api, this.tracker.current, "active"));
    if (session === undefined) return;
    if (session.status !== "active") {
      this.announceEnded(await api.getSession(session.id));
      return;
    }
    this.tracker.update(session, { makeCurrent: true });
    const abort = new AbortController();
    this.running = abort;
    let settled = this.tracker.currentStep;
    let last: Reported | undefined;
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
              stepReported: async (step, result, answer) => {
                last = { step, session: answer, status: await this.stepReported(step, result, answer) };
              },
            },
          });
        },
      );
      // Declined or refused: nothing ran, so the status bar goes back to the last real step.
      if (outcome.kind === "stopped" && outcome.reason !== "cancelled") this.tracker.setStep(session.id, settled);
      await this.announce(api, session, outcome, last);
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

  private async stepReported(step: CommandStep, result: ResultInput, session: Session): Promise<ResultInput["status"]> {
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
    return shown.status;
  }

  /** Says how the run ended: the session's end once, or the step's outcome and what is next. */
  private async announce(api: SessionApi, session: Session, outcome: LoopOutcome, last: Reported | undefined): Promise<void> {
    const name = session.context.name;
    switch (outcome.kind) {
      case "done":
        this.announceEnded(await api.getSession(session.id));
        return;
      case "stopped":
        if (outcome.reason === "untrusted") void vscode.window.showWarningMessage(outcome.message);
        else void vscode.window.showInformationMessage(`CodeMySpec: ${outcome.message}`);
        return;
      case "paused":
        if (last === undefined) return;
        if (last.step.step === VALIDATE_STEP && last.status === "error") {
          await this.announceFailedValidation(last);
          return;
        }
        void vscode.window
          .showInformationMessage(`CodeMySpec: ${name} · ${last.step.step}: ${last.status}.`, "Run Next Step", "Run to the End")
          .then((choice) => this.follow(choice));
        return;
    }
  }

  /** A failed validation: how many errors, the design beside its Problems, the next step. */
  private async announceFailedValidation(last: Reported): Promise<void> {
    const count = validationErrorCount(last.session, last.step.interactionId);
    const designFile = designFileOf(last.step);
    if (designFile !== undefined) await this.showFile(vscode.Uri.file(designFile), false);
    await vscode.commands.executeCommand("workbench.actions.view.problems").then(undefined, () => undefined);
    const what = count === 1 ? "1 error" : `${count} errors`;
    const choice = await vscode.window.showWarningMessage(
      `CodeMySpec: the ${last.session.context.name} design failed validation with ${what} (listed in the Problems view). Next: the agent revises it.`,
      "Run Next Step",
      "Run to the End",
    );
    this.follow(choice);
  }

  private follow(choice: string | undefined): void {
    if (choice === "Run Next Step") void vscode.commands.executeCommand(PaletteCommand.nextStep);
    if (choice === "Run to the End") void vscode.commands.executeCommand(PaletteCommand.runToEnd);
  }

  /** A finished session, said once: complete, failed with its reason, or cancelled. */
  private announceEnded(session: Session): void {
    const name = session.context.name;
    if (!keepAgentTerminal()) this.terminals.close(session.id);
    this.tracker.update(session);
    if (session.status === "complete") {
      void vscode.window.showInformationMessage(`CodeMySpec: the ${name} session is complete (${session.context.designFile}).`);
    } else if (session.status === "failed") {
      const reason = failureReason(session) ?? "the server gave no reason; its timeline shows each step";
      void vscode.window
        .showErrorMessage(`CodeMySpec: the ${name} session failed: ${reason}`, "Show Timeline")
        .then((choice) => (choice ? this.openTimeline(session) : undefined));
    } else if (session.status === "cancelled") {
      void vscode.window.showWarningMessage(`CodeMySpec: the ${name} session was cancelled.`);
    }
  }

  private async cancelSession(): Promise<void> {
    const api = await this.api();
    const session = await pickSession(api, this.tracker.current, "active");
    if (session === undefined) return;
    const cancel: vscode.MessageItem = { title: "Cancel Session" };
    const keep: vscode.MessageItem = { title: "Keep Session", isCloseAffordance: true };
    const answer = await vscode.window.showWarningMessage(
      `Cancel the CodeMySpec session for ${session.context.name}?`,
      { modal: true, detail: "A cancelled session cannot be resumed. Its design file stays as it is." },
      cancel,
      keep,
    );
    if (answer !== cancel) return;
    if (this.tracker.current?.id === session.id) this.running?.abort();
    this.tracker.update(await api.cancelSession(session.id));
  }

  /** Every session; the picked one can become current, be resumed, or show its design or timeline. */
  private async showSessions(): Promise<void> {
    const api = await this.api();
    const action = await sessionAction(api, this.tracker.current);
    if (action === undefined) return;
    const { session } = action;
    this.tracker.update(session, { makeCurrent: true });
    switch (action.kind) {
      case "current":
        return;
      case "next":
        return this.run(1, session);
      case "toEnd":
        return this.run(RUN_TO_END_MAX_STEPS, session);
      case "design":
        return this.openDesignOf(session);
      case "timeline":
        return this.openTimeline(session);
    }
  }

  private async openTimeline(session: Session): Promise<void> {
    const document = await vscode.workspace.openTextDocument(timelineUri(session));
    await vscode.window.showTextDocument(document, { preview: true });
  }

  private async openDesignFile(): Promise<void> {
    const api = await this.api();
    const session = await pickSession(api, this.tracker.current, undefined, { alwaysAsk: true });
    if (session !== undefined) await this.openDesignOf(session);
  }

  private async openDesignOf(session: Session): Promise<void> {
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

  // -- notifications, timeline ----------------------------------------------------------------

  private sessionChanged(session: Session): void {
    this.tracker.update(session);
    this.sessionUpdated.fire(session);
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === TIMELINE_SCHEME && document.uri.query === session.id) {
        this.timelineChanged.fire(document.uri);
      }
    }
  }

  private async timelineText(uri: vscode.Uri): Promise<string> {
    try {
      return renderTimeline(await (await this.api()).getSession(uri.query));
    } catch (error) {
      return `# Session ${uri.query}\n\nCould not read the session: ${errorText(error)}\n`;
    }
  }

  /** Runs a command handler, turning any failure into a message instead of a silent rejection. */
  async guard(handler: () => Promise<void>): Promise<void> {
    try {
      await handler();
    } catch (error) {
      const message = errorText(error);
      this.output.appendLine(`Error: ${message}`);
      void vscode.window.showErrorMessage(`CodeMySpec: ${message}`);
    }
  }

  async dispose(): Promise<void> {
    this.running?.abort();
    this.clientListeners.forEach((listener) => listener.dispose());
    await this.host.dispose();
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
