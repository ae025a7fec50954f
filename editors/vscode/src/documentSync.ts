// The server validates the editor's buffer when the design file is open. After an agent has
// rewritten the file on disk, VS Code reloads an unmodified buffer only when its file watcher
// fires; reporting validate_design before that would validate the old text. So wait until an
// open, unmodified buffer shows what is on disk (bounded), then report.
import { readFile } from "node:fs/promises";
import * as vscode from "vscode";

export const SYNC_TIMEOUT_MS = 5_000;
export const SYNC_POLL_MS = 100;

async function diskText(fsPath: string): Promise<string | undefined> {
  try {
    return await readFile(fsPath, "utf8");
  } catch {
    return undefined;
  }
}

/** Resolves once the open buffer of `fsPath` (if any, and not modified by the person) matches
 * the disk, or after `timeoutMs`. Returns whether they match. */
export async function waitForBufferToMatchDisk(fsPath: string, timeoutMs = SYNC_TIMEOUT_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const document = vscode.workspace.textDocuments.find(
      (doc) => doc.uri.scheme === "file" && doc.uri.fsPath === fsPath,
    );
    // Closed: the server reads the disk. Modified: the person's text wins, as the protocol says.
    if (document === undefined || document.isDirty) return true;
    const onDisk = await diskText(fsPath);
    if (onDisk === undefined || onDisk === document.getText()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS));
  }
}
