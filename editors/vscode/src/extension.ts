// Entry point: activated by Markdown documents or a workspace holding .codemyspec/.
import * as vscode from "vscode";
import { Controller } from "./controller";

let controller: Controller | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel("CodeMySpec");
  context.subscriptions.push(output);
  controller = new Controller(output);
  controller.register(context);
  // Not awaited: a server that cannot start is explained to the person, and the commands
  // stay usable (Restart Server works once the cause is fixed).
  void controller.startServer();
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
