import { beforeEach, describe, expect, it } from "vitest";
import { CommandRunner } from "../src/runner";
import { RUN_TO_END_MAX_STEPS, runSession } from "../src/sessionLoop";
import { RUN_LABEL, vscodeRunnerHost } from "../src/vscodeHost";
import { SessionTerminals } from "../src/agentTerminal";
import { FakeServer } from "./fakeServer";
import { nodeArgv } from "./helpers";
import { stub } from "./vscodeStub";

let runner: CommandRunner;
let server: FakeServer;

beforeEach(() => {
  stub.reset();
  runner = new CommandRunner(vscodeRunnerHost(new SessionTerminals()));
  stub.settings["codemyspec.executionMode"] = "auto";
  server = new FakeServer();
});

describe("runSession", () => {
  it("runs a session to the end through a failed validation and one revision", async () => {
    const started: string[] = [];
    const outcome = await runSession(server, runner, "s-1", {
      maxSteps: RUN_TO_END_MAX_STEPS,
      hooks: { stepStarted: (step) => started.push(step.step) },
    });
    expect(outcome).toEqual({ kind: "done", status: "success", steps: 6 });
    expect(server.steps()).toEqual([
      "initialize:ok",
      "generate_context_design:ok",
      "validate_design:error",
      "revise_design:ok",
      "validate_design:ok",
      "finalize:ok",
    ]);
    expect(started).toEqual(server.rows.map((r) => r.step));
    // The agent's run is reported with its exit code, output and duration.
    const agentReport = server.reports.find((r) => r.interactionId === "i-2")!.result;
    expect(agentReport).toMatchObject({ status: "ok", code: 0, stdout: "design written" });
    expect(agentReport.durationMs).toBeGreaterThanOrEqual(0);
    // One terminal for the whole session, reused by both agent steps, a header per step.
    expect(stub.terminals.map((t) => t.name)).toEqual(["CodeMySpec: Shop.Orders"]);
    const seen: string[] = [];
    stub.terminals[0]!.pty.onDidWrite((text) => seen.push(text));
    stub.terminals[0]!.pty.open(undefined);
    const screen = seen.join("");
    expect(screen).toContain("generate_context_design: run generate_context_design");
    expect(screen).toContain("revise_design: run revise_design");
    expect(screen.indexOf("generate_context_design:")).toBeLessThan(screen.indexOf("revise_design:"));
  });

  it("Run Next Step runs exactly one command and the next call carries on", async () => {
    expect(await runSession(server, runner, "s-1", { maxSteps: 1 })).toEqual({ kind: "paused", steps: 1 });
    expect(server.steps()).toEqual(["initialize:ok"]);
    expect(await runSession(server, runner, "s-1", { maxSteps: 1 })).toEqual({ kind: "paused", steps: 1 });
    expect(server.steps()).toEqual(["initialize:ok", "generate_context_design:ok"]);
  });

  it("answers done at once for a finished session", async () => {
    server.status = "complete";
    expect(await runSession(server, runner, "s-1", { maxSteps: 5 })).toEqual({ kind: "done", status: "success", steps: 0 });
  });

  it("reports nothing when the person declines in manual mode; the step stays pending", async () => {
    await runSession(server, runner, "s-1", { maxSteps: 1 }); // initialize (noop, never asks)
    stub.settings["codemyspec.executionMode"] = "manual";
    const outcome = await runSession(server, runner, "s-1", { maxSteps: RUN_TO_END_MAX_STEPS });
    expect(outcome).toMatchObject({ kind: "stopped", reason: "declined", steps: 0 });
    expect(server.steps()).toEqual(["initialize:ok", "generate_context_design:pending"]);
    // Approving later runs that same interaction, not a second one.
    stub.messageAnswer = RUN_LABEL;
    await runSession(server, runner, "s-1", { maxSteps: 1 });
    expect(server.steps()).toEqual(["initialize:ok", "generate_context_design:ok"]);
  });

  it("runs and reports nothing in an untrusted workspace", async () => {
    stub.trusted = false;
    const outcome = await runSession(server, runner, "s-1", { maxSteps: RUN_TO_END_MAX_STEPS });
    expect(outcome).toMatchObject({ kind: "stopped", reason: "untrusted", steps: 0 });
    expect(server.reports).toEqual([]);
  });

  it("reports a failing agent as an error; the server retries the step and fails the session after 3 tries", async () => {
    server.agentArgv = nodeArgv("process.stderr.write('no model'); process.exit(2)");
    const outcome = await runSession(server, runner, "s-1", { maxSteps: RUN_TO_END_MAX_STEPS });
    expect(outcome).toEqual({ kind: "done", status: "failed", steps: 4 });
    expect(server.reports.slice(1).map((r) => r.result)).toEqual(
      Array(3).fill(expect.objectContaining({ status: "error", code: 2, errorMessage: expect.stringContaining("exited with code 2: no model") })),
    );
  });

  it("cancelling kills the running agent, reports an error and stops the loop", async () => {
    server.agentArgv = nodeArgv("console.log('working'); setInterval(() => {}, 1000)");
    const abort = new AbortController();
    // The person cancels once the agent is at work: when its first output reaches the terminal.
    const host = vscodeRunnerHost(new SessionTerminals());
    const watched = new CommandRunner({
      ...host,
      openAgentView: (command) => {
        const view = host.openAgentView(command);
        return {
          stopRequested: view.stopRequested,
          finished: (outcome, result) => view.finished(outcome, result),
          write: (text, stream) => {
            view.write(text, stream);
            if (text.includes("working")) abort.abort();
          },
        };
      },
    });
    const outcome = await runSession(server, watched, "s-1", { maxSteps: RUN_TO_END_MAX_STEPS, signal: abort.signal });
    expect(outcome).toMatchObject({ kind: "stopped", reason: "cancelled", steps: 2 });
    expect(server.steps()).toEqual(["initialize:ok", "generate_context_design:error"]);
    expect(server.reports[1]!.result.errorMessage).toContain("cancelled by the person");
  });

  it("carries on when another client reported the step first (-32003)", async () => {
    server.duplicateOnce = true;
    const outcome = await runSession(server, runner, "s-1", { maxSteps: RUN_TO_END_MAX_STEPS });
    expect(outcome).toMatchObject({ kind: "done", status: "success" });
  });

  it("lets the editor catch up before a validation is reported", async () => {
    const order: string[] = [];
    await runSession(server, runner, "s-1", {
      maxSteps: 3,
      hooks: {
        beforeReport: async (step) => void order.push(`before ${step.step}`),
        stepReported: (step) => void order.push(`reported ${step.step}`),
      },
    });
    expect(order).toEqual([
      "before initialize",
      "reported initialize",
      "before generate_context_design",
      "reported generate_context_design",
      "before validate_design",
      "reported validate_design",
    ]);
  });
});
