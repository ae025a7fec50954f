import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitForBufferToMatchDisk } from "../src/documentSync";
import { workspace } from "./vscodeStub";

function openBuffer(fsPath: string, text: string, isDirty = false) {
  const document = { uri: { scheme: "file", fsPath }, isDirty, text, getText: () => document.text };
  workspace.textDocuments.push(document);
  return document;
}

afterEach(() => {
  workspace.textDocuments.length = 0;
});

describe("waitForBufferToMatchDisk (before validate_design is reported)", () => {
  const file = join(mkdtempSync(join(tmpdir(), "cms-sync-")), "orders.md");

  it("waits until the open buffer shows what the agent wrote to disk", async () => {
    writeFileSync(file, "# Orders (revised)\n");
    const buffer = openBuffer(file, "# Orders (flawed)\n");
    setTimeout(() => (buffer.text = "# Orders (revised)\n"), 250);
    expect(await waitForBufferToMatchDisk(file, 5_000)).toBe(true);
    expect(buffer.text).toBe("# Orders (revised)\n");
  });

  it("gives up after the timeout when the editor never reloads", async () => {
    writeFileSync(file, "new\n");
    openBuffer(file, "old\n");
    expect(await waitForBufferToMatchDisk(file, 300)).toBe(false);
  });

  it("does not wait for a closed file or for the person's unsaved edits", async () => {
    writeFileSync(file, "disk\n");
    expect(await waitForBufferToMatchDisk(file, 60_000)).toBe(true);
    openBuffer(file, "typed but not saved\n", true);
    expect(await waitForBufferToMatchDisk(file, 60_000)).toBe(true);
  });
});
