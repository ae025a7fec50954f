// Entry point: activated by Markdown documents or a workspace holding .codemyspec/.
import * as vscode from "vscode";
import { Controller } from "./controller";

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("CodeMySpec");
  context.subscriptions.push(output);
  controller = new Controller(output);
  controller.register(context);
  // A server that cannot start is explained to the person; the commands stay registered so
  // that Restart Server works once the cause is fixed.
  await controller.startServer().catch((error: unknown) => {
    output.appendLine(`The server did not start: ${String(error)}`);
    void vscode.window.showErrorMessage(`CodeMySpec: the language server did not start (${String(error)}). See Output: CodeMySpec.`);
  });
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
