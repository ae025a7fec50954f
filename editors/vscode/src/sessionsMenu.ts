// Choosing a session (every status, the current one first) and what to do with it: make it
// current, resume it, open its design or its timeline.
import * as vscode from "vscode";
import { sessionPickRow } from "./present";
import type { Session, SessionStatus } from "./protocol";
import type { SessionApi } from "./serverApi";

export type SessionActionKind = "current" | "next" | "toEnd" | "design" | "timeline";

export interface ActionRow {
  label: string;
  description?: string;
  action: SessionActionKind;
}

/** What can be done with a session, as quick pick rows (resuming only while it is active). */
export function actionRows(session: Session, isCurrent: boolean): ActionRow[] {
  const rows: ActionRow[] = [];
  if (session.status === "active") {
    rows.push(
      { label: "$(debug-continue) Resume: Run Next Step", action: "next" },
      { label: "$(run-all) Resume: Run to the End", action: "toEnd" },
    );
  }
  rows.push(
    { label: "$(go-to-file) Open Design", description: session.context.designFile, action: "design" },
    { label: "$(history) Open Timeline", action: "timeline" },
  );
  if (!isCurrent) rows.push({ label: "$(pin) Make Current", description: "the status bar and the palette commands follow it", action: "current" });
  return rows;
}

/** Sessions newest first, the current one on top. */
export function ordered(sessions: Session[], current: Session | undefined): Session[] {
  const byDate = [...sessions].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const top = byDate.filter((session) => session.id === current?.id);
  return [...top, ...byDate.filter((session) => session.id !== current?.id)];
}

function rows(sessions: Session[], current: Session | undefined): (vscode.QuickPickItem & { session: Session })[] {
  return ordered(sessions, current).map((session) => {
    const row = sessionPickRow(session);
    const mark = session.id === current?.id ? " (current)" : "";
    return { ...row, description: `${row.description}${mark}`, session };
  });
}

export async function sessionAction(
  api: SessionApi,
  current: Session | undefined,
): Promise<{ kind: SessionActionKind; session: Session } | undefined> {
  const sessions = await api.listSessions();
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage("CodeMySpec: no session yet. Run CodeMySpec: Start Context Design Session.");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(rows(sessions, current), {
    title: "CodeMySpec sessions",
    placeHolder: "Pick a session: resume it, open its design or its timeline",
    matchOnDetail: true,
  });
  if (picked === undefined) return undefined;
  const session = picked.session;
  const action = await vscode.window.showQuickPick(actionRows(session, session.id === current?.id), {
    title: `CodeMySpec: ${session.context.name} (${session.status})`,
  });
  return action === undefined ? undefined : { kind: action.action, session };
}

/** The current session when it fits (unless `alwaysAsk`), the only candidate, or the person's pick. */
export async function pickSession(
  api: SessionApi,
  current: Session | undefined,
  status: SessionStatus | undefined,
  options: { alwaysAsk?: boolean } = {},
): Promise<Session | undefined> {
  const fits = current !== undefined && (status === undefined || current.status === status);
  if (fits && options.alwaysAsk !== true) return current;
  const sessions = await api.listSessions(status === undefined ? {} : { status });
  if (sessions.length === 0) {
    const which = status === undefined ? "" : `${status} `;
    void vscode.window.showInformationMessage(`CodeMySpec: no ${which}session. Run CodeMySpec: Start Context Design Session.`);
    return undefined;
  }
  if (sessions.length === 1) return sessions[0];
  const picked = await vscode.window.showQuickPick(rows(sessions, current), { title: "CodeMySpec: which session?", matchOnDetail: true });
  return picked?.session;
}
