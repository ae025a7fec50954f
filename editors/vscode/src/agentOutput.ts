// What a person watches while an agent runs: readable text, never raw JSON. The same rule as
// the server's agents/render.py (docs/agents.md): the command's `metadata.output` names the
// format; a stdout line that is not a JSON object is shown as it is; a JSON object is shown as
// the lines its format's renderer gives (often none: start-up and bookkeeping events say
// nothing to a person). Assistant text as text, a tool call as `→ Tool target`, a failed tool
// as `✗ message`, errors as `error: message`, the final event as one `done:` line.
type Obj = Record<string, unknown>;
type Render = (event: Obj) => string[];

const MAX_HINT = 100;
const HINT_KEYS = ["file_path", "filePath", "path", "pattern", "command", "url", "query", "absolute_path"];

const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);
const obj = (value: unknown): Obj => (isObj(value) ? value : {});
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const lines = (value: unknown): string[] => (typeof value === "string" ? value.split(/\r?\n/) : []);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObj(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The JSON object on this line, or undefined (plain text, a fragment, a non-object). */
export function jsonObject(line: string): Obj | undefined {
  const text = line.trim();
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObj(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function hint(args: unknown): string {
  if (!isObj(args)) return "";
  for (const key of HINT_KEYS) {
    const value = args[key];
    const shown = typeof value === "string" ? value : Array.isArray(value) ? value.map(String).join(" ") : "";
    const flat = shown.split(/\s+/).filter(Boolean).join(" ");
    if (flat) return " " + (flat.length <= MAX_HINT ? flat : `${flat.slice(0, MAX_HINT - 1)}…`);
  }
  return "";
}

function tokens(inTokens: unknown, outTokens: unknown): string {
  const parts: string[] = [];
  if (num(inTokens) !== undefined) parts.push(`${String(inTokens)} tokens in`);
  if (num(outTokens) !== undefined) parts.push(`${String(outTokens)} out`);
  return parts.join(", ");
}

const done = (...parts: string[]): string[] => [`done: ${parts.filter(Boolean).join(" · ")}`];

const claude: Render = (event) => {
  const kind = event["type"];
  if (kind === "system" && event["subtype"] === "init") {
    return [`agent session ${String(event["session_id"] ?? "?")} · model ${str(event["model"]) ?? "?"}`];
  }
  if (kind === "assistant") {
    const out: string[] = [];
    for (const block of list(dig(event, "message", "content")).filter(isObj)) {
      if (block["type"] === "text") out.push(...lines(block["text"]));
      else if (block["type"] === "tool_use") out.push(`→ ${String(block["name"] ?? "tool")}${hint(block["input"])}`);
    }
    return out;
  }
  if (kind === "user") {
    const out: string[] = [];
    for (const block of list(dig(event, "message", "content")).filter(isObj)) {
      if (!block["is_error"]) continue;
      const content = block["content"];
      const first = typeof content === "string" ? lines(content).slice(0, 1) : ["tool error"];
      out.push(...first.map((line) => `  ✗ ${line}`));
    }
    return out;
  }
  if (kind === "result") {
    const cost = num(event["total_cost_usd"]);
    const turns = num(event["num_turns"]);
    const error = str(dig(event, "error", "message"));
    return done(
      String(event["subtype"] ?? "finished"),
      turns !== undefined ? `${turns} turns` : "",
      cost !== undefined ? `$${cost.toFixed(4)}` : "",
      error ? `error: ${error}` : "",
    );
  }
  return [];
};

const codex: Render = (event) => {
  const kind = event["type"];
  if (kind === "thread.started") return [`agent thread ${String(event["thread_id"] ?? "?")}`];
  if (kind === "error" || kind === "turn.failed") {
    return [`error: ${str(event["message"]) ?? str(dig(event, "error", "message")) ?? String(kind)}`];
  }
  if (kind === "turn.completed") {
    const usage = event["usage"];
    return done("turn", tokens(dig(usage, "input_tokens"), dig(usage, "output_tokens")));
  }
  if (kind !== "item.completed") return [];
  const item = obj(event["item"]);
  switch (item["type"]) {
    case "agent_message":
      return lines(item["text"]);
    case "command_execution": {
      const code = item["exit_code"];
      return [`$ ${String(item["command"] ?? "")}${code ? `  (exit ${String(code)})` : ""}`];
    }
    case "file_change": {
      const paths = list(item["changes"]).filter(isObj).map((change) => String(change["path"] ?? "?"));
      return paths.length > 0 ? [`edited ${paths.join(", ")}`] : [];
    }
    case "mcp_tool_call":
      return [`→ ${String(item["server"] ?? "mcp")}.${String(item["tool"] ?? "tool")}`];
    case "error":
      return [`error: ${String(item["message"] ?? "")}`];
    default:
      return [];
  }
};

const gemini: Render = (event) => {
  const kind = event["type"];
  if (kind === "init") return [`agent session ${String(event["session_id"] ?? "?")} · model ${String(event["model"] ?? "?")}`];
  if (kind === "tool_use") return [`→ ${String(event["tool_name"] ?? "tool")}${hint(event["parameters"])}`];
  if (kind === "tool_result" && event["status"] === "error") {
    return [`  ✗ ${String(dig(event, "error", "message") ?? "tool error")}`];
  }
  if (kind === "error") return [`error: ${String(event["message"] ?? "")}`];
  if (kind === "result") {
    const stats = event["stats"];
    const error = str(dig(event, "error", "message"));
    return done(String(event["status"] ?? "finished"), tokens(dig(stats, "input_tokens"), dig(stats, "output_tokens")), error ? `error: ${error}` : "");
  }
  return [];
};

const opencode: Render = (event) => {
  const kind = event["type"];
  const part = obj(event["part"]);
  if (kind === "text") return lines(part["text"]);
  if (kind === "tool_use") return [`→ ${String(part["tool"] ?? "tool")}${hint(dig(part, "state", "input"))}`];
  if (kind === "error") {
    const error = event["error"];
    const message = str(dig(error, "data", "message")) ?? str(dig(error, "message"));
    return [`error: ${str(dig(error, "name")) ?? "error"}${message ? `: ${message}` : ""}`];
  }
  return [];
};

const copilot: Render = (event) => {
  const kind = event["type"];
  const data = obj(event["data"]);
  if (kind === "assistant.message") return lines(data["content"]);
  if (kind === "tool.execution_start") return [`→ ${String(data["toolName"] ?? "tool")}${hint(data["arguments"])}`];
  if (kind === "session.error" || kind === "error") return [`error: ${String(data["message"] ?? event["message"] ?? kind)}`];
  return [];
};

const RENDERERS: Record<string, Render> = {
  "claude-stream-json": claude,
  "codex-jsonl": codex,
  "gemini-stream-json": gemini,
  "opencode-jsonl": opencode,
  "copilot-jsonl": copilot,
};

/** Feed stdout chunks as they come; write what it returns. Plain text passes straight through. */
export class AgentOutputRenderer {
  private readonly render: Render | undefined;
  private partial = ""; // a stdout line not yet ended by a newline
  private streamed = ""; // streamed assistant text not yet ended by a newline

  constructor(format: string) {
    this.render = RENDERERS[format];
  }

  feed(chunk: string): string {
    if (this.render === undefined) return chunk;
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    return parts.flatMap((line) => this.line(line)).map((line) => `${line}\n`).join("");
  }

  finish(): string {
    if (this.render === undefined) return "";
    const rest = this.partial ? this.line(this.partial) : [];
    this.partial = "";
    return [...rest, ...this.flush()].map((line) => `${line}\n`).join("");
  }

  private line(line: string): string[] {
    const event = jsonObject(line);
    if (event === undefined || this.render === undefined) return [...this.flush(), line.replace(/\r$/, "")];
    if (event["type"] === "message" && event["role"] === "assistant") {
      const [first, ...rest] = (this.streamed + String(event["content"] ?? "")).split("\n");
      const all = [first ?? "", ...rest];
      this.streamed = all.pop() ?? "";
      return all;
    }
    let shown: string[];
    try {
      shown = this.render(event);
    } catch {
      shown = [];
    }
    return [...this.flush(), ...shown];
  }

  private flush(): string[] {
    const pending = this.streamed;
    this.streamed = "";
    return pending.trim() ? [pending] : [];
  }
}
