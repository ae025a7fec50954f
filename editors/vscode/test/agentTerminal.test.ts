import { beforeEach, describe, expect, it } from "vitest";
import { SessionTerminals } from "../src/agentTerminal";
import { command } from "./helpers";
import { stub } from "./vscodeStub";

const agent = (sessionId: string, step: "generate_context_design" | "revise_design") =>
  command({ kind: "agent", step, description: `run ${step}`, env: { CODEMYSPEC_SESSION_ID: sessionId, CODEMYSPEC_CONTEXT_MODULE: `Shop.${sessionId}` } });

beforeEach(() => stub.reset());

describe("SessionTerminals (one agent terminal per session)", () => {
  it("reuses a session's terminal for every agent step, and gives another session its own", () => {
    const terminals = new SessionTerminals();
    terminals.view(agent("Orders", "generate_context_design"));
    terminals.view(agent("Orders", "revise_design"));
    terminals.view(agent("Billing", "generate_context_design"));
    expect(stub.terminals.map((terminal) => terminal.name)).toEqual(["CodeMySpec: Shop.Orders", "CodeMySpec: Shop.Billing"]);
    expect(terminals.count()).toBe(2);
  });

  it("opens a new one when the person closed it, and closes it when the session ends and the setting says so", () => {
    const terminals = new SessionTerminals();
    terminals.view(agent("Orders", "generate_context_design"));
    stub.terminals[0]!.pty.close();
    terminals.view(agent("Orders", "revise_design"));
    expect(stub.terminals).toHaveLength(2);
    terminals.close("Orders");
    expect(stub.terminals[1]!.disposed).toBe(true);
    expect(terminals.count()).toBe(0);
  });
});
