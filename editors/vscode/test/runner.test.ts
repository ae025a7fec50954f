import { beforeEach, describe, expect, it } from "vitest";
import { CommandRunner, UNTRUSTED_MESSAGE } from "../src/runner";
import { vscodeRunnerHost, RUN_LABEL, confirmationDetail } from "../src/vscodeHost";
import { command, nodeArgv } from "./helpers";
import { stub } from "./vscodeStub";

const runner = new CommandRunner(vscodeRunnerHost);

beforeEach(() => {
  stub.reset();
  stub.settings["codemyspec.executionMode"] = "auto";
});

describe("CommandRunner", () => {
  it("reports a noop as ok at once, without asking or spawning", async () => {
    stub.settings["codemyspec.executionMode"] = "manual";
    const outcome = await runner.run(command({ kind: "noop", argv: [] }));
    expect(outcome).toEqual({ kind: "result", result: { status: "ok" } });
    expect(stub.messages).toHaveLength(0);
  });

  it("runs nothing in an untrusted workspace and says why", async () => {
    stub.trusted = false;
    const outcome = await runner.run(command({ argv: nodeArgv("require('fs').writeFileSync('should-not-exist', '')") }));
    expect(outcome).toEqual({ kind: "refused", reason: "untrusted", message: UNTRUSTED_MESSAGE });
  });

  it("asks in manual mode, showing the argv and description, and runs nothing when declined", async () => {
    stub.settings["codemyspec.executionMode"] = "manual";
    stub.messageAnswer = undefined;
    const cmd = command({ argv: ["git", "switch", "-c", "docs-orders"], description: "create the branch" });
    const outcome = await runner.run(cmd);
    expect(outcome).toMatchObject({ kind: "refused", reason: "declined" });
    expect(stub.messages).toHaveLength(1);
    const { options, items } = stub.messages[0]!;
    expect(options).toMatchObject({ modal: true });
    expect((options as { detail: string }).detail).toContain("git switch -c docs-orders");
    expect((options as { detail: string }).detail).toContain("create the branch");
    expect(items).toEqual([RUN_LABEL]);
  });

  it("runs the command in manual mode once the person approves", async () => {
    stub.settings["codemyspec.executionMode"] = "manual";
    stub.messageAnswer = RUN_LABEL;
    const outcome = await runner.run(command());
    expect(outcome).toMatchObject({ kind: "result", result: { status: "ok", code: 0, stdout: "hi" } });
  });

  it("reports a non-zero exit as an error result", async () => {
    const outcome = await runner.run(command({ argv: nodeArgv("process.exit(7)") }));
    expect(outcome).toMatchObject({ kind: "result", result: { status: "error", code: 7 } });
  });

  it("runs an agent in a terminal the person watches: prompt on stdin, output shown, exit code captured", async () => {
    const cmd = command({
      kind: "agent",
      step: "generate_context_design",
      description: "write the design",
      stdin: "PROMPT",
      argv: nodeArgv("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.log('got '+s);process.exit(0)})"),
    });
    const outcome = await runner.run(cmd);
    expect(outcome).toMatchObject({ kind: "result", result: { status: "ok", code: 0, stdout: "got PROMPT\n" } });
    expect(stub.terminals).toHaveLength(1);
    const terminal = stub.terminals[0]!;
    expect(terminal.name).toBe("CodeMySpec: generate_context_design");
    expect(terminal.shown).toBe(true);
    // Output written before VS Code opened the terminal is not lost.
    const seen: string[] = [];
    terminal.pty.onDidWrite((text) => seen.push(text));
    terminal.pty.open(undefined);
    const screen = seen.join("");
    expect(screen).toContain("write the design");
    expect(screen).toContain("got PROMPT\r\n");
    expect(screen).toContain("exit code 0");
  });

  it("stops an agent when the person presses Ctrl+C in its terminal, and reports an error", async () => {
    const cmd = command({ kind: "agent", argv: nodeArgv("console.log('working'); setInterval(() => {}, 1000)") });
    const running = runner.run(cmd);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stub.terminals[0]!.pty.handleInput?.("\x03");
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "result", result: { status: "error" } });
  });

  it("stops an agent when the run is cancelled from the progress notification", async () => {
    const abort = new AbortController();
    const running = runner.run(command({ kind: "agent", argv: nodeArgv("setInterval(() => {}, 1000)") }), abort.signal);
    setTimeout(() => abort.abort(), 200);
    const outcome = await running;
    expect(outcome.kind === "result" && outcome.result.errorMessage).toContain("cancelled by the person");
  });

  it("describes the command in the confirmation, with stdin size and extra env names", () => {
    const detail = confirmationDetail(
      command({ argv: ["agent", "--write", "a b"], stdin: "12345", env: { CODEMYSPEC_STEP: "x" }, timeoutMs: 600_000 }),
    );
    expect(detail).toContain("agent --write 'a b'");
    expect(detail).toContain("5 characters");
    expect(detail).toContain("CODEMYSPEC_STEP");
    expect(detail).toContain("600 s");
  });
});
