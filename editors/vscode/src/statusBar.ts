// The status bar item: the server's state first (starting, not running and why), then the
// current session's step; its tooltip names the server, the selected agent and the store.
import * as vscode from "vscode";
import type { WorkspaceInfo } from "./companion";
import { PaletteCommand } from "./constants";
import { statusBarText, statusBarTooltip, workspaceTooltip } from "./present";
import type { Session } from "./protocol";
import type { StepState } from "./sessionTracker";

export type ServerState =
  | { kind: "starting" }
  | { kind: "running" }
  | { kind: "down"; message: string };

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("codemyspec.status", vscode.StatusBarAlignment.Left, 50);
  private server: ServerState = { kind: "starting" };
  private info: WorkspaceInfo | undefined;
  private session: Session | undefined;
  private step: StepState | undefined;

  constructor() {
    this.item.name = "CodeMySpec";
    this.render();
  }

  get serverState(): ServerState {
    return this.server;
  }

  setServer(state: ServerState): void {
    this.server = state;
    if (state.kind !== "running") this.info = undefined;
    this.render();
  }

  setWorkspaceInfo(info: WorkspaceInfo | undefined): void {
    this.info = info;
    this.render();
  }

  setSession(session: Session | undefined, step: StepState | undefined): void {
    this.session = session;
    this.step = step;
    this.render();
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (this.server.kind) {
      case "starting":
        item.text = "$(sync~spin) CodeMySpec: starting";
        item.tooltip = "The CodeMySpec language server is starting.";
        item.command = PaletteCommand.showServerStatus;
        break;
      case "down":
        item.text = "$(error) CodeMySpec: server not running";
        item.tooltip = `${this.server.message}\n\nClick for the fix.`;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        item.command = PaletteCommand.showServerStatus;
        break;
      case "running": {
        const facts = workspaceTooltip(this.info);
        if (this.session === undefined) {
          item.text = "$(notebook) CodeMySpec";
          item.tooltip = [...facts, "No session yet: click to show sessions"].join("\n");
        } else {
          item.text = statusBarText(this.session, this.step);
          item.tooltip = [...statusBarTooltip(this.session), ...facts, "Click to show sessions"].join("\n");
        }
        item.command = PaletteCommand.showSessions;
        break;
      }
    }
    item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
