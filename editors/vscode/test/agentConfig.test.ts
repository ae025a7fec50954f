import { describe, expect, it } from "vitest";
import { setAgentPreset } from "../src/agentConfig";

describe("setAgentPreset (Choose Agent writes .codemyspec/config.toml)", () => {
  it("replaces the preset of [agent] and keeps every other line", () => {
    const before = '# mine\n[project]\nname = "Shop"\n\n[agent]\npreset = "claude"  \nresume = true\n\n[workflow]\nmax_attempts = 3\n';
    const { text, commandDisabled } = setAgentPreset(before, "codex");
    expect(text).toBe('# mine\n[project]\nname = "Shop"\n\n[agent]\npreset = "codex"\nresume = true\n\n[workflow]\nmax_attempts = 3\n');
    expect(commandDisabled).toBe(false);
  });

  it("comments out a command (it would win over the preset), also one spread over lines", () => {
    const before = '[agent]\ncommand = [\n  "{python}",\n  "-m", "x"]\ntimeout_seconds = 60\n[workflow]\n';
    const { text, commandDisabled } = setAgentPreset(before, "gemini");
    expect(commandDisabled).toBe(true);
    expect(text).toBe('[agent]\npreset = "gemini"\n# command = [\n#   "{python}",\n#   "-m", "x"]\ntimeout_seconds = 60\n[workflow]\n');
  });

  it("adds an [agent] table when there is none, or writes a new file", () => {
    expect(setAgentPreset('[project]\nname = "Shop"\n', "aider").text).toBe('[project]\nname = "Shop"\n\n[agent]\npreset = "aider"\n');
    expect(setAgentPreset("", "qwen").text).toBe('[agent]\npreset = "qwen"\n');
  });

  it("leaves a commented-out command and keys of other tables alone", () => {
    const before = '[agent]\n# command = ["x"]\n[other]\ncommand = ["y"]\n';
    const { text, commandDisabled } = setAgentPreset(before, "claude");
    expect(commandDisabled).toBe(false);
    expect(text).toBe('[agent]\npreset = "claude"\n# command = ["x"]\n[other]\ncommand = ["y"]\n');
  });
});
