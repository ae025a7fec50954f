// A server that cannot start or stopped: the message with its fix, and buttons that lead to
// the fix. "Open Settings" opens the interpreter setting where it can be set: the workspace
// settings when a folder is open (a machine-overridable setting is not on the User tab of a
// remote or browser VS Code), else the settings editor searched for it.
import * as vscode from "vscode";
import { CONFIG_SECTION, Setting } from "./constants";

export const OPEN_SETTINGS = "Open Settings";
export const COPY_INSTALL = "Copy Install Command";
export const RESTART = "Restart Server";

export async function openInterpreterSetting(): Promise<void> {
  const query = `${CONFIG_SECTION}.${Setting.pythonPath}`;
  const command = (vscode.workspace.workspaceFolders?.length ?? 0) > 0
    ? "workbench.action.openWorkspaceSettings"
    : "workbench.action.openSettings";
  await vscode.commands.executeCommand(command, { query });
}

export class ServerTrouble {
  private message: string | undefined;
  private installCommand: string | undefined;

  constructor(private readonly restart: () => Promise<void>) {}

  report(message: string, installCommand?: string): void {
    this.message = message;
    this.installCommand = installCommand;
    this.show();
  }

  clear(): void {
    this.message = undefined;
    this.installCommand = undefined;
  }

  show(): void {
    if (this.message === undefined) return;
    const install = this.installCommand;
    const buttons = install === undefined ? [OPEN_SETTINGS, RESTART] : [OPEN_SETTINGS, COPY_INSTALL, RESTART];
    void vscode.window.showErrorMessage(this.message, ...buttons).then(async (choice) => {
      if (choice === OPEN_SETTINGS) await openInterpreterSetting();
      else if (choice === COPY_INSTALL && install !== undefined) await vscode.env.clipboard.writeText(install);
      else if (choice === RESTART) await this.restart();
    });
  }
}
