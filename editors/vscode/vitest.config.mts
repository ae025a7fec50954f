import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // The `vscode` module only exists inside the editor: unit tests get a stub.
    alias: { vscode: new URL("./test/vscodeStub.ts", import.meta.url).pathname },
  },
});
