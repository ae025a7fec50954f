// "CodeMySpec: Choose Agent": the presets (installed ones first, with their version) in a
// quick pick; the choice is written to the workspace's .codemyspec/config.toml.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { setAgentPreset } from "./agentConfig";
import { missingCommandMessage, type AgentInfo, type CompanionApi } from "./companion";
import { CompanionCommand } from "./constants";

export interface AgentRow extends vscode.QuickPickItem {
  agent?: AgentInfo;
}

/** Installed agents first (the selected one on top), then the rest, each with what it supports. */
export function agentRows(agents: AgentInfo[]): AgentRow[] {
  const byName = (a: AgentInfo, b: AgentInfo): number => Number(b.selected) - Number(a.selected) || a.name.localeCompare(b.name);
  const row = (agent: AgentInfo): AgentRow => {
    const supports = [agent.resume ? "resume" : "", agent.usage ? "usage" : "", agent.selfCheck ? "self-check" : ""].filter(Boolean);
    return {
      label: `${agent.selected ? "$(check)" : agent.found ? "$(circle-outline)" : "$(circle-slash)"} ${agent.name}`,
      description: agent.found ? `${agent.version ?? "version unknown"} · ${agent.path ?? agent.executable}` : `${agent.executable}: not found on PATH`,
      detail: `${agent.selected ? "selected · " : ""}${supports.length > 0 ? `supports ${supports.join(", ")}` : "no resume, usage or self-check"} · runs ${agent.argv.generate.slice(0, 4).join(" ")}…`,
      agent,
    };
  };
  const found = agents.filter((agent) => agent.found).sort(byName);
  const missing = agents.filter((agent) => !agent.found).sort(byName);
  const rows: AgentRow[] = [];
  if (found.length > 0) rows.push({ label: "Installed", kind: vscode.QuickPickItemKind.Separator }, ...found.map(row));
  if (missing.length > 0) rows.push({ label: "Not installed", kind: vscode.QuickPickItemKind.Separator }, ...missing.map(row));
  return rows;
}

/** Returns true when a preset was written. */
export async function chooseAgent(companion: CompanionApi, folder: vscode.WorkspaceFolder | undefined): Promise<boolean> {
  if (folder === undefined) {
    void vscode.window.showWarningMessage("CodeMySpec: open a workspace folder to choose its agent.");
    return false;
  }
  const agents = await companion.listAgents(folder.uri.toString());
  if (agents === undefined) {
    void vscode.window.showWarningMessage(missingCommandMessage(CompanionCommand.listAgents, "Choose Agent"));
    return false;
  }
  const picked = await vscode.window.showQuickPick(agentRows(agents), {
    title: "CodeMySpec: Choose Agent",
    placeHolder: "The coding agent that writes and revises designs in this workspace",
    matchOnDescription: true,
  });
  const agent = picked?.agent;
  if (agent === undefined) return false;
  const configPath = path.join(folder.uri.fsPath, ".codemyspec", "config.toml");
  if (!(await fs.stat(configPath).then(() => true, () => false))) {
    await fs.mkdir(path.dirname(configPath), { recursive: true });
    await fs.writeFile(configPath, "", "utf8");
  }
  // Through the editor and saved, so the server reloads the config (it does on save) and an
  // open, unsaved config.toml is edited rather than overwritten.
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(configPath));
  const edit = setAgentPreset(document.getText(), agent.name);
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  const change = new vscode.WorkspaceEdit();
  change.replace(document.uri, whole, edit.text);
  if (!(await vscode.workspace.applyEdit(change)) || !(await document.save())) {
    void vscode.window.showErrorMessage(`CodeMySpec: could not write ${configPath}.`);
    return false;
  }
  const note = edit.commandDisabled ? " Its custom agent command is commented out (a command wins over a preset)." : "";
  const missing = agent.found ? "" : ` ${agent.executable} is not installed yet.`;
  void vscode.window.showInformationMessage(`CodeMySpec: the agent is now ${agent.name} (.codemyspec/config.toml).${note}${missing}`);
  return true;
}
