// Which Python runs the language server: the setting (with ${workspaceFolder} expanded), else
// the Python extension's active environment, else python3. And whether that Python has the
// server installed, so a missing package is a clear message rather than a crashed client.
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { PYTHON_EXTENSION_ID, SERVER_MODULE, SERVER_PACKAGE } from "./constants";

export const DEFAULT_PYTHON = process.platform === "win32" ? "python" : "python3";

export interface Interpreter {
  python: string;
  source: "setting" | "python-extension" | "default";
}

/** Expands ${workspaceFolder}, ${workspaceFolderBasename}, ${userHome}, ${env:NAME} and a leading ~. */
export function expandVariables(value: string, folder: string | undefined): string {
  let expanded = value.replace(/\$\{(workspaceFolder|workspaceFolderBasename|userHome|env:([^}]+))\}/g,
    (match, name: string, envName: string | undefined) => {
      if (name === "workspaceFolder") return folder ?? match;
      if (name === "workspaceFolderBasename") return folder === undefined ? match : path.basename(folder);
      if (name === "userHome") return os.homedir();
      return process.env[envName ?? ""] ?? "";
    });
  if (expanded === "~" || expanded.startsWith("~/")) expanded = os.homedir() + expanded.slice(1);
  // A relative path in a setting means relative to the workspace folder.
  if (folder !== undefined && expanded.includes(path.sep) && !path.isAbsolute(expanded)) {
    expanded = path.join(folder, expanded);
  }
  return expanded;
}

/** The subset of the Python extension's API used here (its shape changed over the years). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: unknown): { path: string } | undefined;
    resolveEnvironment?(env: unknown): Promise<{ executable?: { uri?: { fsPath: string } } } | undefined>;
  };
  settings?: {
    getExecutionDetails?(resource?: unknown): { execCommand?: string[] } | undefined;
  };
}

export interface ExtensionLookup {
  getExtension(id: string): { isActive: boolean; exports: unknown; activate(): Thenable<unknown> } | undefined;
}

/** The active environment's interpreter from the Python extension, when it is installed. */
export async function pythonFromExtension(
  extensions: ExtensionLookup,
  resource: unknown,
): Promise<string | undefined> {
  const extension = extensions.getExtension(PYTHON_EXTENSION_ID);
  if (extension === undefined) return undefined;
  try {
    const api = (extension.isActive ? extension.exports : await extension.activate()) as PythonExtensionApi;
    const active = api.environments?.getActiveEnvironmentPath?.(resource);
    if (active !== undefined && api.environments?.resolveEnvironment !== undefined) {
      const resolved = await api.environments.resolveEnvironment(active);
      const executable = resolved?.executable?.uri?.fsPath;
      if (executable) return executable;
    }
    if (active?.path) return active.path;
    return api.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
  } catch {
    return undefined; // a broken Python extension must not stop the language server
  }
}

export async function resolveInterpreter(
  setting: string | undefined,
  folder: string | undefined,
  fromExtension: () => Promise<string | undefined>,
): Promise<Interpreter> {
  const configured = setting?.trim();
  if (configured) return { python: expandVariables(configured, folder), source: "setting" };
  const active = await fromExtension();
  if (active) return { python: active, source: "python-extension" };
  return { python: DEFAULT_PYTHON, source: "default" };
}

export type ServerCheck =
  | { ok: true }
  | { ok: false; problem: "no-python" | "no-module"; message: string; installCommand: string };

export function installCommand(python: string): string {
  return `${python} -m pip install ${SERVER_PACKAGE}`;
}

/** Runs `<python> -c "import codemyspec_lsp"` to tell a missing package from a missing Python. */
export function checkServer(python: string, cwd: string | undefined): Promise<ServerCheck> {
  return new Promise((resolve) => {
    execFile(python, ["-c", `import ${SERVER_MODULE}`], { cwd, timeout: 30_000 }, (error, _out, stderr) => {
      if (error === null) {
        resolve({ ok: true });
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      const install = installCommand(python);
      if (code === "ENOENT" || code === "EACCES") {
        resolve({
          ok: false,
          problem: "no-python",
          installCommand: install,
          message:
            `CodeMySpec could not run the Python interpreter "${python}" (${code}). ` +
            "Set codemyspec.server.pythonPath to a Python 3.10+ interpreter that has the server installed.",
        });
        return;
      }
      resolve({
        ok: false,
        problem: "no-module",
        installCommand: install,
        message:
          `The CodeMySpec language server is not installed for ${python} ` +
          `(${String(stderr).trim().split("\n").pop() ?? "import failed"}). ` +
          `Install it with: pip install ${SERVER_PACKAGE}  (that is: ${install}; ` +
          "from a checkout of the repository: pip install -e <repo path>), " +
          "or set codemyspec.server.pythonPath to an interpreter that has it.",
      });
    });
  });
}
