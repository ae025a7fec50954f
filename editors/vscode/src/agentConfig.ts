// Writes the chosen agent preset into `.codemyspec/config.toml`, keeping everything else as it
// is (comments, order, other keys). A `command` in [agent] wins over `preset` (agents.md), so
// choosing a preset comments that command out, and says so.

export interface PresetEdit {
  text: string;
  /** True when an active `command = …` of [agent] was commented out. */
  commandDisabled: boolean;
}

const TABLE = /^\s*\[([^\]]+)\]\s*(#.*)?$/;

function bracketBalance(line: string): number {
  let balance = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote !== undefined) {
      if (ch === "\\" && quote === '"') i += 1;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#") break;
    else if (ch === "[") balance += 1;
    else if (ch === "]") balance -= 1;
  }
  return balance;
}

export function setAgentPreset(original: string, preset: string): PresetEdit {
  const eol = original.includes("\r\n") ? "\r\n" : "\n";
  const lines = original === "" ? [] : original.split(/\r?\n/);
  const assignment = `preset = ${JSON.stringify(preset)}`;
  const header = lines.findIndex((line) => TABLE.exec(line)?.[1]?.trim() === "agent");
  if (header === -1) {
    const body = lines.length > 0 && lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
    const gap = body.length > 0 ? [""] : [];
    return { text: [...body, ...gap, "[agent]", assignment, ""].join(eol), commandDisabled: false };
  }
  let end = lines.findIndex((line, index) => index > header && TABLE.test(line));
  if (end === -1) end = lines.length;
  let commandDisabled = false;
  let presetLine = -1;
  for (let index = header + 1; index < end; index += 1) {
    const line = lines[index] ?? "";
    if (/^\s*preset\s*=/.test(line)) presetLine = index;
    if (/^\s*command\s*=/.test(line)) {
      commandDisabled = true;
      let balance = bracketBalance(line);
      lines[index] = `# ${line}`;
      while (balance > 0 && index + 1 < end) {
        index += 1;
        balance += bracketBalance(lines[index] ?? "");
        lines[index] = `# ${lines[index] ?? ""}`;
      }
    }
  }
  if (presetLine !== -1) lines[presetLine] = assignment;
  else lines.splice(header + 1, 0, assignment);
  return { text: lines.join(eol), commandDisabled };
}
