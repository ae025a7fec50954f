// Where a step's or a session's design file is, and showing it in an editor.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { AgentEnv } from "./constants";
import type { CommandStep } from "./protocol";
import { errorText } from "./serverApi";

/** The absolute design file of a step: the agent's env names it; else metadata, against cwd. */
export function designFileOf(step: CommandStep): string | undefined {
  const fromEnv = step.command.env[AgentEnv.designFile];
  if (fromEnv) return fromEnv;
  const relative = step.command.metadata["designFile"];
  return typeof relative === "string" ? path.resolve(step.command.cwd, relative) : undefined;
}

/** A session's design file (relative to a workspace folder), when it exists on disk. */
export function designFileUri(relative: string): vscode.Uri | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const candidate = vscode.Uri.joinPath(folder.uri, relative);
    if (existsSync(candidate.fsPath)) return candidate;
  }
  return undefined;
}

/** Opens a file in a preview editor; a file that cannot be opened is logged, not thrown. */
export async function showFile(output: vscode.OutputChannel, uri: vscode.Uri, preserveFocus = true): Promise<void> {
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus });
  } catch (error) {
    output.appendLine(`Could not open ${uri.fsPath}: ${errorText(error)}`);
  }
}
