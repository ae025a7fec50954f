// Before a session starts: the context name checked as it is typed, with the server's own rule
// (codemyspec/checkContext; a local check when the server predates it), a question when the
// context already has a session or a valid design, and a warning when the selected agent's
// executable is not on PATH.
import * as vscode from "vscode";
import type { CompanionApi, ContextCheck } from "./companion";
import { PaletteCommand } from "./constants";
import type { Session } from "./protocol";
import type { SessionApi } from "./serverApi";

/** The server's rule (workspace/paths.py), used only when the server cannot check a name. */
const CONTEXT_PATTERN = /^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*$/;

export function validateContextName(value: string): string | undefined {
  const name = value.trim();
  if (name === "") return "Name the bounded context, for example Orders or Shop.Orders.";
  if (/\s/.test(name)) return `One name only: "${name}" has spaces (write ShippingGateway, not Shipping Gateway).`;
  if (!CONTEXT_PATTERN.test(name)) return "Use a module name like Accounts or Shop.Accounts: letters, digits and _, each part starting with a capital letter, parts joined by dots.";
  return undefined;
}

/** The message the input box shows for a name: the server's verdict where it has one. */
export async function contextMessage(companion: CompanionApi, value: string, workspaceUri?: string): Promise<string | undefined> {
  const local = validateContextName(value);
  if (local !== undefined && value.trim() === "") return local;
  let check: ContextCheck | undefined;
  try {
    check = await companion.checkContext(value.trim(), workspaceUri);
  } catch {
    check = undefined;
  }
  if (check === undefined) return local;
  return check.valid ? undefined : (check.message ?? "The server refuses this context name.");
}

export type AskedContext = { kind: "new"; context: string } | { kind: "resume"; session: Session };

const START_NEW = "Start a New Session";
const RESUME = "Resume It";

/** Asks for the context; undefined when the person backs out. */
export async function askContext(companion: CompanionApi, api: SessionApi, workspaceUri?: string): Promise<AskedContext | undefined> {
  const typed = await vscode.window.showInputBox({
    title: "CodeMySpec: Start Context Design Session",
    prompt: "The bounded context to design, as a module name",
    placeHolder: "Orders or Shop.Orders",
    ignoreFocusOut: true,
    validateInput: (value) => contextMessage(companion, value, workspaceUri),
  });
  if (typed === undefined) return undefined;
  const context = typed.trim();
  const check = await companion.checkContext(context, workspaceUri).catch(() => undefined);
  if (check === undefined) return { kind: "new", context };
  const question = existingWork(check);
  if (question === undefined) return { kind: "new", context };
  const active = check.sessions.find((session) => session.status === "active");
  const buttons = active !== undefined ? [RESUME, START_NEW] : [START_NEW];
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail: "A new session asks the agent to write the design again." }, ...buttons);
  if (answer === START_NEW) return { kind: "new", context };
  if (answer === RESUME && active !== undefined) return { kind: "resume", session: await api.getSession(active.id) };
  return undefined;
}

/** The question to ask before starting `check`'s context again, if any. */
export function existingWork(check: ContextCheck): string | undefined {
  const name = check.module ?? check.name;
  const file = check.designFile ?? "its design file";
  if (check.sessions.some((session) => session.status === "active")) return `${name} already has an active design session.`;
  if (check.sessions.some((session) => session.status === "complete")) return `${name} already has a complete design session (${file}).`;
  if (check.designExists && check.designValid === true) return `${name} already has a valid design (${file}).`;
  return undefined;
}

const CONTINUE = "Continue Anyway";
const CHOOSE = "Choose Another Agent";

/** False when the person would rather not start with an agent that is not installed. */
export async function confirmAgentFound(companion: CompanionApi, workspaceUri?: string): Promise<boolean> {
  const info = await companion.workspaceInfo(workspaceUri).catch(() => undefined);
  if (info === undefined || info.agent.found) return true;
  const answer = await vscode.window.showWarningMessage(
    `The selected agent, ${info.agent.name}, is not installed: "${info.agent.executable}" is not on PATH.`,
    { modal: true, detail: "The session would fail at its first agent step. Install it, pick another agent, or continue anyway." },
    CONTINUE,
    CHOOSE,
  );
  if (answer === CHOOSE) {
    await vscode.commands.executeCommand(PaletteCommand.chooseAgent);
    return false;
  }
  return answer === CONTINUE;
}
