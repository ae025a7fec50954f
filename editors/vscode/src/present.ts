// How sessions read to a person: status bar text, quick pick rows, the timeline document.
// Pure functions of the wire shapes, so the unit tests check exactly what is shown.
import type { WorkspaceInfo } from "./companion";
import type { Interaction, Session, SessionStatus } from "./protocol";
import type { StepState } from "./sessionTracker";

const STATUS_ICON: Record<SessionStatus, string> = {
  active: "$(debug-pause)",
  complete: "$(pass)",
  failed: "$(error)",
  cancelled: "$(circle-slash)",
};

/** The status bar: context, the step running (…) or last run (with its result), and the
 * session's status. */
export function statusBarText(session: Session, step: StepState | undefined): string {
  const running = step?.phase === "running" && session.status === "active";
  const icon = running ? "$(sync~spin)" : STATUS_ICON[session.status];
  const parts = [`${icon} CodeMySpec: ${session.context.name}`];
  if (step !== undefined && session.status === "active") {
    parts.push(step.phase === "running" ? `${step.name}…` : `${step.name}: ${step.phase}`);
  }
  parts.push(session.status);
  return parts.join(" · ");
}

export function statusBarTooltip(session: Session): string[] {
  const lines = [
    `Session ${session.id} (${session.type})`,
    `Context ${session.context.module}`,
    `Design file ${session.context.designFile}`,
    `Mode ${session.executionMode}`,
  ];
  const reason = failureReason(session);
  if (reason !== undefined) lines.push(`Failed: ${reason}`);
  return lines;
}

/** The server, the selected agent and the session store (codemyspec/workspaceInfo). */
export function workspaceTooltip(info: WorkspaceInfo | undefined): string[] {
  if (info === undefined) return [];
  const agent = info.agent;
  const where = agent.found ? `${agent.path ?? agent.executable}${agent.version ? `, version ${agent.version}` : ""}` : `${agent.executable} not found on PATH`;
  return [
    `Agent: ${agent.name} (${where})`,
    `Store: ${info.store.kind === "postgresql" ? "PostgreSQL" : info.store.kind === "tinydb" ? "local file (TinyDB)" : info.store.kind} at ${info.store.location}`,
    `Server ${info.version} for ${info.workspace}`,
  ];
}

/** Why a session failed, as the server put it (state.outcome.reason), when it says. */
export function failureReason(session: Session): string | undefined {
  if (session.status !== "failed") return undefined;
  const outcome = session.state["outcome"];
  if (typeof outcome !== "object" || outcome === null) return undefined;
  const reason = (outcome as Record<string, unknown>)["reason"];
  return typeof reason === "string" && reason.trim() !== "" ? reason.trim() : undefined;
}

export interface SessionPickRow {
  label: string;
  description: string;
  detail: string;
}

export function sessionPickRow(session: Session): SessionPickRow {
  return {
    label: `${STATUS_ICON[session.status]} ${session.context.name}`,
    description: session.status,
    detail: `${session.context.designFile} · updated ${session.updatedAt} · ${session.id}`,
  };
}

function resultLine(interaction: Interaction): string {
  const result = interaction.result;
  if (result === null) return "pending (no result yet)";
  const bits: string[] = [`**${result.status}**`];
  if (result.code !== undefined && result.code !== null) bits.push(`exit code ${result.code}`);
  if (result.durationMs !== undefined && result.durationMs !== null) bits.push(`${result.durationMs} ms`);
  return bits.join(", ");
}

function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text.replace(/\s+$/, "")}\n${fence}`;
}

/** The read-only timeline of one session, as Markdown. */
export function renderTimeline(session: Session): string {
  const lines: string[] = [
    `# ${session.context.name}: ${session.status}`,
    "",
    `- Session: \`${session.id}\` (${session.type}, ${session.executionMode} mode, ${session.environment})`,
    `- Context module: \`${session.context.module}\``,
    `- Design file: \`${session.context.designFile}\``,
    `- Created ${session.createdAt}, updated ${session.updatedAt}`,
  ];
  if (session.context.description) lines.push(`- Description: ${session.context.description}`);
  const interactions = [...(session.interactions ?? [])].sort((a, b) => a.seq - b.seq);
  const reason = failureReason(session);
  if (reason !== undefined) lines.push(`- **Failed:** ${reason}`);
  const total = totalUsage(interactions);
  if (total !== undefined) lines.push(`- Agent usage (whole session): ${total}`);
  lines.push("", "## Timeline", "");
  if (interactions.length === 0) lines.push("No step has run yet.");
  for (const interaction of interactions) {
    const { command, result } = interaction;
    lines.push(`### ${interaction.seq}. ${interaction.step}: ${resultLine(interaction)}`, "");
    lines.push(`- ${command.kind} command: ${command.description}`);
    if (command.argv.length > 0) lines.push(`- argv: \`${JSON.stringify(command.argv)}\``);
    lines.push(`- issued ${command.timestamp}${interaction.completedAt ? `, completed ${interaction.completedAt}` : ""}`);
    const usage = usageOf(interaction);
    if (usage !== undefined) lines.push(`- usage: ${usageText(usage)}`);
    if (result?.errorMessage) lines.push("", "Error:", "", fenced(result.errorMessage));
    if (result?.stdout) lines.push("", "Output:", "", fenced(tail(result.stdout)));
    if (result?.stderr) lines.push("", "Standard error:", "", fenced(tail(result.stderr)));
    lines.push("");
  }
  return lines.join("\n");
}

const TIMELINE_TAIL = 4_000;

function tail(text: string): string {
  return text.length <= TIMELINE_TAIL ? text : `…\n${text.slice(text.length - TIMELINE_TAIL)}`;
}

/** How many errors a validate_design result lists (its data.errors, else the session state). */
export function validationErrorCount(session: Session, interactionId: string): number {
  const result = session.interactions?.find((interaction) => interaction.id === interactionId)?.result;
  const errors = result?.data?.["errors"];
  if (Array.isArray(errors)) return errors.length;
  const validation = session.state["validation"];
  if (typeof validation === "object" && validation !== null) {
    const count = (validation as Record<string, unknown>)["errors"];
    if (typeof count === "number") return count;
  }
  return result?.errorMessage ? result.errorMessage.split("\n").filter((line) => line.trim()).length : 0;
}

/** `result.data.usage` of an agent step (agents.md); fields the CLI did not report are absent. */
export interface Usage {
  agent?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  turns?: number;
  agentSessionId?: string;
}

export function usageOf(interaction: Interaction): Usage | undefined {
  const usage = interaction.result?.data?.["usage"];
  return typeof usage === "object" && usage !== null && !Array.isArray(usage) ? (usage as Usage) : undefined;
}

const count = (value: number): string => value.toLocaleString("en-US");

export function usageText(usage: Usage): string {
  const parts: string[] = [];
  if (usage.agent) parts.push(usage.agent);
  if (usage.model) parts.push(`model ${usage.model}`);
  if (typeof usage.inputTokens === "number") parts.push(`${count(usage.inputTokens)} tokens in`);
  if (typeof usage.outputTokens === "number") parts.push(`${count(usage.outputTokens)} out`);
  if (typeof usage.costUsd === "number") parts.push(`$${usage.costUsd.toFixed(4)}`);
  if (typeof usage.turns === "number") parts.push(`${usage.turns} turn${usage.turns === 1 ? "" : "s"}`);
  if (usage.agentSessionId) parts.push(`agent session ${usage.agentSessionId}`);
  return parts.length > 0 ? parts.join(" · ") : "reported, without figures";
}

/** The session's agent usage summed over its steps; undefined when no step reported any. */
export function totalUsage(interactions: Interaction[]): string | undefined {
  const usages = interactions.map(usageOf).filter((usage): usage is Usage => usage !== undefined);
  if (usages.length === 0) return undefined;
  const sum = (key: "inputTokens" | "outputTokens" | "costUsd" | "turns"): number | undefined => {
    const values = usages.map((usage) => usage[key]).filter((value): value is number => typeof value === "number");
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  };
  const total: Usage = {};
  for (const key of ["inputTokens", "outputTokens", "costUsd", "turns"] as const) {
    const value = sum(key);
    if (value !== undefined) total[key] = value;
  }
  return `${usageText(total)} over ${usages.length} agent step${usages.length === 1 ? "" : "s"}`;
}
