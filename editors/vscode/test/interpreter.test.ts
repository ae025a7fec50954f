import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkServer, expandVariables, pythonFromExtension, resolveInterpreter } from "../src/interpreter";

const REPO_PYTHON = resolve(__dirname, "../../../.venv/bin/python");

describe("interpreter", () => {
  it("expands ${workspaceFolder}, ~ and relative paths", () => {
    expect(expandVariables("${workspaceFolder}/.venv/bin/python", "/ws")).toBe("/ws/.venv/bin/python");
    expect(expandVariables("~/py/bin/python", "/ws")).toBe(`${homedir()}/py/bin/python`);
    expect(expandVariables(".venv/bin/python", "/ws")).toBe("/ws/.venv/bin/python");
    expect(expandVariables("python3.11", "/ws")).toBe("python3.11");
  });

  it("prefers the setting, then the Python extension, then python3", async () => {
    const none = async () => undefined;
    expect(await resolveInterpreter("${workspaceFolder}/py", "/ws", none)).toEqual({ python: "/ws/py", source: "setting" });
    expect(await resolveInterpreter("", "/ws", async () => "/env/bin/python")).toEqual({
      python: "/env/bin/python",
      source: "python-extension",
    });
    expect(await resolveInterpreter(undefined, "/ws", none)).toEqual({ python: "python3", source: "default" });
  });

  it("reads the Python extension's active environment", async () => {
    const api = {
      environments: {
        getActiveEnvironmentPath: () => ({ path: "/env" }),
        resolveEnvironment: async () => ({ executable: { uri: { fsPath: "/env/bin/python" } } }),
      },
    };
    const lookup = { getExtension: () => ({ isActive: true, exports: api, activate: async () => api }) };
    expect(await pythonFromExtension(lookup, undefined)).toBe("/env/bin/python");
    expect(await pythonFromExtension({ getExtension: () => undefined }, undefined)).toBeUndefined();
  });

  it("tells a missing package from a missing interpreter, with the install command", async () => {
    // A stand-in interpreter that fails the import the way Python does.
    const dir = mkdtempSync(join(tmpdir(), "cms-py-"));
    const fakePython = join(dir, "python");
    writeFileSync(fakePython, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'codemyspec_lsp'\" >&2\nexit 1\n");
    chmodSync(fakePython, 0o755);
    const missingModule = await checkServer(fakePython, undefined);
    expect(missingModule).toMatchObject({ ok: false, problem: "no-module", installCommand: `${fakePython} -m pip install codemyspec-lsp` });
    expect(!missingModule.ok && missingModule.message).toContain("pip install codemyspec-lsp");
    expect(!missingModule.ok && missingModule.message).toContain("No module named 'codemyspec_lsp'");
    expect(await checkServer("/nonexistent/python", undefined)).toMatchObject({ ok: false, problem: "no-python" });
  });

  it.skipIf(!existsSync(REPO_PYTHON))("accepts the repository's interpreter, which has the server", async () => {
    expect(await checkServer(REPO_PYTHON, undefined)).toEqual({ ok: true });
  });
});
