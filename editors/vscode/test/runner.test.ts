import { beforeEach, describe, expect, it } from "vitest";
import { CommandRunner, UNTRUSTED_MESSAGE } from "../src/runner";
import { vscodeRunnerHost, RUN_LABEL, confirmationDetail } from "../src/vscodeHost";
import { SessionTerminals } from "../src/agentTerminal";
import { command, nodeArgv } from "./helpers";
import { terminalShows, within } from "./patience";
import { stub } from "./vscodeStub";

let runner: CommandRunner;

beforeEach(() => {
  stub.reset();
  runner = new CommandRunner(vscodeRunnerHost(new SessionTerminals()));
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
      env: { CODEMYSPEC_SESSION_ID: "s-1", CODEMYSPEC_CONTEXT_MODULE: "Shop.Orders" },
      argv: nodeArgv("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.log('got '+s);process.exit(0)})"),
    });
    const outcome = await runner.run(cmd);
    expect(outcome).toMatchObject({ kind: "result", result: { status: "ok", code: 0, stdout: "got PROMPT\n" } });
    expect(stub.terminals).toHaveLength(1);
    const terminal = stub.terminals[0]!;
    expect(terminal.name).toBe("CodeMySpec: Shop.Orders");
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
    // Pressed once the agent is at work (its first output is on the screen).
    await within(terminalShows(stub.terminals[0]!, "working"), "the agent's first output");
    stub.terminals[0]!.pty.handleInput?.("\x03");
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "result", result: { status: "error" } });
  });

  it("stops an agent when the run is cancelled from the progress notification", async () => {
    const abort = new AbortController();
    const running = runner.run(command({ kind: "agent", argv: nodeArgv("console.log('working'); setInterval(() => {}, 1000)") }), abort.signal);
    await within(terminalShows(stub.terminals[0]!, "working"), "the agent's first output");
    abort.abort();
    const outcome = await running;
    expect(outcome.kind === "result" && outcome.result.errorMessage).toContain("cancelled by the person");
  });

  it("shows an agent's JSON event stream as readable text, never raw JSON", async () => {
    const events = [
      { type: "system", subtype: "init", session_id: "abc", model: "sonnet" },
      { type: "assistant", message: { content: [{ type: "text", text: "Writing the design." }, { type: "tool_use", name: "Write", input: { file_path: "docs/design/shop/orders.md" } }] } },
      { type: "result", subtype: "success", num_turns: 3, total_cost_usd: 0.0123 },
    ];
    const script = `for (const e of ${JSON.stringify(JSON.stringify(events))} && JSON.parse(${JSON.stringify(JSON.stringify(events))})) console.log(JSON.stringify(e))`;
    const cmd = command({ kind: "agent", argv: nodeArgv(script), metadata: { output: "claude-stream-json" }, env: { CODEMYSPEC_SESSION_ID: "s-2" } });
    const outcome = await runner.run(cmd);
    expect(outcome).toMatchObject({ kind: "result", result: { status: "ok" } });
    const seen: string[] = [];
    stub.terminals[0]!.pty.onDidWrite((text) => seen.push(text));
    stub.terminals[0]!.pty.open(undefined);
    const screen = seen.join("");
    expect(screen).toContain("agent session abc · model sonnet\r\n");
    expect(screen).toContain("Writing the design.\r\n");
    expect(screen).toContain("→ Write docs/design/shop/orders.md\r\n");
    expect(screen).toContain("done: success · 3 turns · $0.0123");
    expect(screen.split("\r\n").filter((line) => line.startsWith('{"type"'))).toEqual([]);
    // What is stored for the server stays the raw output: it parses usage from it.
    expect(outcome.kind === "result" && outcome.result.stdout).toContain('"total_cost_usd":0.0123');
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
