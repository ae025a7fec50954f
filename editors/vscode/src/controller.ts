// The palette commands: each asks what it needs and calls the server through the language
// client. Running a session's steps is sessionSteps.ts, what the person is told afterwards
// outcomeNotices.ts, the server's life serverHost.ts, timelines timelineDocuments.ts.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { chooseAgent } from "./agentPicker";
import { ArchitecturePanel } from "./architecture";
import { SessionTerminals } from "./agentTerminal";
import { firstFolder } from "./client";
import type { CompanionApi } from "./companion";
import { PaletteCommand, ServerNotification } from "./constants";
import { designFileUri, showFile } from "./designFiles";
import { OutcomeNotices } from "./outcomeNotices";
import type { Session, SessionChangedParams } from "./protocol";
import { CommandRunner, UNTRUSTED_MESSAGE } from "./runner";
import { errorText, sessionApi, type SessionApi } from "./serverApi";
import { ServerHost } from "./serverHost";
import { askContext, confirmAgentFound } from "./sessionStart";
import { pickSession, sessionAction } from "./sessionsMenu";
import { RUN_TO_END_MAX_STEPS } from "./sessionLoop";
import { SessionSteps } from "./sessionSteps";
import { SessionTracker } from "./sessionTracker";
import { StatusBar } from "./statusBar";
import { TimelineDocuments } from "./timelineDocuments";
import { executionModeSetting, vscodeRunnerHost } from "./vscodeHost";

export class Controller implements vscode.Disposable {
  private clientListeners: vscode.Disposable[] = [];
  private readonly tracker = new SessionTracker();
  private readonly terminals = new SessionTerminals();
  private readonly runner = new CommandRunner(vscodeRunnerHost(this.terminals));
  private readonly status = new StatusBar();
  private readonly host: ServerHost;
  private readonly timeline = new TimelineDocuments(() => this.api());
  private readonly notices: OutcomeNotices;
  private readonly steps: SessionSteps;
  private readonly disposables: vscode.Disposable[] = [];
  /** Listeners of "the server (re)started": the architecture view refreshes on it. */
  readonly serverReady = new vscode.EventEmitter<void>();
  readonly sessionUpdated = new vscode.EventEmitter<Session>();

  constructor(private readonly output: vscode.OutputChannel) {
    this.host = new ServerHost(output, this.status, (handler) => this.guard(handler));
    this.host.ready.event((client) => this.adopt(client));
    this.tracker.onChange((session, step) => this.status.setSession(session, step));
    this.notices = new OutcomeNotices(this.tracker, this.terminals, this.timeline, output);
    this.steps = new SessionSteps(() => this.api(), this.runner, this.tracker, this.notices, output);
    this.disposables.push(this.status, this.timeline, this.serverReady, this.sessionUpdated);
  }

  register(context: vscode.ExtensionContext): void {
    const commands: [string, () => Promise<void>][] = [
      [PaletteCommand.startSession, () => this.startSession()],
      [PaletteCommand.nextStep, () => this.steps.run(1)],
      [PaletteCommand.runToEnd, () => this.steps.run(RUN_TO_END_MAX_STEPS)],
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
    this.steps.abort();
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
      await this.steps.run(1, asked.session);
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
    this.notices.started(session);
  }

  private folderForNewSession(): vscode.WorkspaceFolder | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    return (active && vscode.workspace.getWorkspaceFolder(active)) ?? firstFolder();
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
    if (this.tracker.current?.id === session.id) this.steps.abort();
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
        return this.steps.run(1, session);
      case "toEnd":
        return this.steps.run(RUN_TO_END_MAX_STEPS, session);
      case "design":
        return this.openDesignOf(session);
      case "timeline":
        return this.timeline.open(session);
    }
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
    await showFile(this.output, uri, false);
  }

  // -- notifications ---------------------------------------------------------------------------

  private sessionChanged(session: Session): void {
    this.tracker.update(session);
    this.sessionUpdated.fire(session);
    this.timeline.sessionChanged(session);
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
    this.steps.abort();
    this.clientListeners.forEach((listener) => listener.dispose());
    await this.host.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
