import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SYNC_POLL_MS, waitForBufferToMatchDisk } from "../src/documentSync";
import { bound } from "./patience";
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
    // The editor reloads the file once the wait has seen the old text (not after a set time).
    const read = buffer.getText;
    let looks = 0;
    buffer.getText = () => {
      const text = read();
      looks += 1;
      if (looks === 1) setImmediate(() => (buffer.text = "# Orders (revised)\n"));
      return text;
    };
    expect(await waitForBufferToMatchDisk(file, bound(SYNC_POLL_MS))).toBe(true);
    expect(looks).toBeGreaterThan(1);
    expect(buffer.text).toBe("# Orders (revised)\n");
  });

  it("gives up at its deadline when the editor never reloads", async () => {
    writeFileSync(file, "new\n");
    openBuffer(file, "old\n");
    expect(await waitForBufferToMatchDisk(file, 0)).toBe(false);
  });

  it("does not wait for a closed file or for the person's unsaved edits", async () => {
    // Waiting would end in false at the deadline: the answer is true at once.
    writeFileSync(file, "disk\n");
    expect(await waitForBufferToMatchDisk(file, bound(SYNC_POLL_MS))).toBe(true);
    openBuffer(file, "typed but not saved\n", true);
    expect(await waitForBufferToMatchDisk(file, bound(SYNC_POLL_MS))).toBe(true);
  });
});
