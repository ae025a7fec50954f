// Starts the language server `<python> -m codemyspec_lsp` over stdio for Markdown documents.
import * as vscode from "vscode";
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import {
  CLIENT_ID,
  CLIENT_NAME,
  CONFIG_SECTION,
  SERVER_MODULE,
  Setting,
} from "./constants";
import { checkServer, pythonFromExtension, resolveInterpreter, type Interpreter } from "./interpreter";

export function firstFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

export async function chooseInterpreter(): Promise<Interpreter> {
  const folder = firstFolder();
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
  return resolveInterpreter(config.get<string>(Setting.pythonPath), folder?.uri.fsPath, () =>
    pythonFromExtension(vscode.extensions, folder?.uri),
  );
}

export interface StartedClient {
  client: LanguageClient;
  interpreter: Interpreter;
}

const OPEN_SETTINGS = "Open Settings";
const COPY_INSTALL = "Copy Install Command";

/** Returns undefined (after telling the person why and how to fix it) when the server cannot run. */
export async function startClient(output: vscode.OutputChannel): Promise<StartedClient | undefined> {
  const folder = firstFolder();
  const interpreter = await chooseInterpreter();
  output.appendLine(`Python for the server: ${interpreter.python} (from ${interpreter.source})`);
  const check = await checkServer(interpreter.python, folder?.uri.fsPath);
  if (!check.ok) {
    output.appendLine(check.message);
    void vscode.window.showErrorMessage(check.message, OPEN_SETTINGS, COPY_INSTALL).then(async (choice) => {
      if (choice === OPEN_SETTINGS) {
        await vscode.commands.executeCommand("workbench.action.openSettings", `${CONFIG_SECTION}.${Setting.pythonPath}`);
      } else if (choice === COPY_INSTALL) {
        await vscode.env.clipboard.writeText(check.installCommand);
      }
    });
    return undefined;
  }
  const extraArgs = vscode.workspace
    .getConfiguration(CONFIG_SECTION, folder?.uri)
    .get<string[]>(Setting.extraArgs, [])
    .filter((arg): arg is string => typeof arg === "string");
  const serverOptions: ServerOptions = {
    command: interpreter.python,
    args: ["-m", SERVER_MODULE, ...extraArgs],
    transport: TransportKind.stdio,
    options: folder === undefined ? {} : { cwd: folder.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "markdown" }],
    synchronize: { configurationSection: CONFIG_SECTION },
    outputChannel: output,
  };
  // The id makes the client read `codemyspec.trace.server` by itself.
  const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  await client.start();
  return { client, interpreter };
}
