// The RunnerHost of VS Code: Workspace Trust, the execution-mode setting, the modal
// confirmation of manual mode, and agent terminals.
import * as vscode from "vscode";
import { quoteForDisplay, SessionTerminals } from "./agentTerminal";
import { CONFIG_SECTION, Setting } from "./constants";
import type { Command, ExecutionMode } from "./protocol";
import type { RunnerHost } from "./runner";

export function executionModeSetting(): ExecutionMode {
  const mode = vscode.workspace.getConfiguration(CONFIG_SECTION).get<string>(Setting.executionMode);
  return mode === "auto" ? "auto" : "manual";
}

/** The text of the manual-mode confirmation: what runs, where, and why. */
export function confirmationDetail(command: Command): string {
  const lines = [
    command.description,
    "",
    `Command (${command.kind}, no shell): ${command.argv.map(quoteForDisplay).join(" ")}`,
    `In: ${command.cwd}`,
  ];
  const extraEnv = Object.keys(command.env);
  if (extraEnv.length > 0) lines.push(`Extra environment: ${extraEnv.join(", ")}`);
  if (command.stdin !== null) lines.push(`Standard input: ${command.stdin.length} characters (the prompt)`);
  lines.push(`Time limit: ${Math.round(command.timeoutMs / 1000)} s`);
  return lines.join("\n");
}

export const RUN_LABEL = "Run";

/** Whether a session's agent terminal stays after the session ends (codemyspec.agentTerminal). */
export function keepAgentTerminal(): boolean {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).get<string>(Setting.agentTerminal) !== "close";
}

export const vscodeRunnerHost = (terminals: SessionTerminals): RunnerHost => ({
  isTrusted: () => vscode.workspace.isTrusted,
  executionMode: executionModeSetting,
  async confirm(command: Command): Promise<boolean> {
    const answer = await vscode.window.showInformationMessage(
      `CodeMySpec: run the ${command.step} step?`,
      { modal: true, detail: confirmationDetail(command) },
      RUN_LABEL,
    );
    return answer === RUN_LABEL;
  },
  openAgentView: (command: Command) => terminals.view(command),
});
