import { describe, expect, it } from "vitest";
import { renderTimeline, sessionPickRow, statusBarText, statusBarTooltip, validationErrorCount, workspaceTooltip } from "../src/present";
import { SessionTracker } from "../src/sessionTracker";
import { command, session } from "./helpers";

describe("what a person reads", () => {
  it("status bar shows the context, the running step and the state", () => {
    expect(statusBarText(session(), { name: "validate_design", phase: "running" })).toBe(
      "$(sync~spin) CodeMySpec: Orders · validate_design… · active",
    );
    expect(statusBarText(session(), { name: "validate_design", phase: "error" })).toBe(
      "$(debug-pause) CodeMySpec: Orders · validate_design: error · active",
    );
    expect(statusBarText(session({ status: "complete" }), { name: "finalize", phase: "ok" })).toBe(
      "$(pass) CodeMySpec: Orders · complete",
    );
  });

  it("quick pick rows carry the status", () => {
    expect(sessionPickRow(session({ status: "failed" }))).toMatchObject({ label: "$(error) Orders", description: "failed" });
  });

  it("the timeline lists every interaction in seq order with its result", () => {
    const text = renderTimeline(
      session({
        interactions: [
          {
            id: "i-2", seq: 2, step: "validate_design", completedAt: "t2",
            command: command({ kind: "noop", argv: [], description: "validate" }),
            result: { status: "error", errorMessage: "12:1 CMS101 missing ```section```", timestamp: "t2" },
          },
          {
            id: "i-1", seq: 1, step: "initialize", completedAt: "t1",
            command: command({ argv: ["git", "switch", "-c", "b"] }),
            result: { status: "ok", code: 0, durationMs: 5, timestamp: "t1" },
          },
        ],
      }),
    );
    expect(text.indexOf("### 1. initialize: **ok**, exit code 0, 5 ms")).toBeGreaterThan(0);
    expect(text.indexOf("### 2. validate_design: **error**")).toBeGreaterThan(text.indexOf("### 1."));
    expect(text).toContain('argv: `["git","switch","-c","b"]`');
    // An error holding backticks still sits inside one fenced block.
    expect(text).toContain("````text\n12:1 CMS101 missing ```section```\n````");
  });
});

describe("usage, failure reasons, workspace facts", () => {
  const agentStep = (seq: number, usage: Record<string, unknown> | undefined) => ({
    id: `i-${seq}`, seq, step: "generate_context_design" as const, completedAt: "t",
    command: command({ kind: "agent" }),
    result: { status: "ok" as const, timestamp: "t", data: usage === undefined ? null : { usage } },
  });

  it("the timeline shows usage per agent step and summed for the session", () => {
    const text = renderTimeline(
      session({
        interactions: [
          agentStep(1, { agent: "claude", model: "sonnet", inputTokens: 1200, outputTokens: 900, costUsd: 0.0123, turns: 4, agentSessionId: "abc" }),
          agentStep(2, { agent: "claude", inputTokens: 800, outputTokens: 100, costUsd: 0.01, turns: 2 }),
          agentStep(3, undefined),
        ],
      }),
    );
    expect(text).toContain("- usage: claude · model sonnet · 1,200 tokens in · 900 out · $0.0123 · 4 turns · agent session abc");
    expect(text).toContain("- usage: claude · 800 tokens in · 100 out · $0.0100 · 2 turns");
    expect(text).toContain("- Agent usage (whole session): 2,000 tokens in · 1,000 out · $0.0223 · 6 turns over 2 agent steps");
    expect(text.match(/- usage:/g)).toHaveLength(2);
  });

  it("a failed session shows the server's reason in the timeline and the tooltip", () => {
    const failed = session({ status: "failed", state: { outcome: { status: "failed", reason: "claude is not logged in: run `claude` once and log in" } } });
    expect(renderTimeline(failed)).toContain("- **Failed:** claude is not logged in: run `claude` once and log in");
    expect(statusBarTooltip(failed)).toContain("Failed: claude is not logged in: run `claude` once and log in");
    expect(renderTimeline(session())).not.toContain("Failed");
  });

  it("the tooltip names the selected agent and the store", () => {
    const lines = workspaceTooltip({
      version: "0.3.0", workspace: "/ws",
      agent: { name: "codex", executable: "codex", found: false, path: null, version: null },
      store: { kind: "postgresql", location: "db.example/shop" },
    });
    expect(lines).toEqual(["Agent: codex (codex not found on PATH)", "Store: PostgreSQL at db.example/shop", "Server 0.3.0 for /ws"]);
    expect(workspaceTooltip({
      version: "0.3.0", workspace: "/ws",
      agent: { name: "claude", executable: "claude", found: true, path: "/usr/bin/claude", version: "2.1.197" },
      store: { kind: "tinydb", location: "/ws/.codemyspec/sessions.json" },
    })).toEqual(["Agent: claude (/usr/bin/claude, version 2.1.197)", "Store: local file (TinyDB) at /ws/.codemyspec/sessions.json", "Server 0.3.0 for /ws"]);
  });

  it("a failed validation's error count comes from its result", () => {
    const validated = session({
      interactions: [{
        id: "i-3", seq: 3, step: "validate_design", completedAt: "t", command: command({ kind: "noop" }),
        result: { status: "error", timestamp: "t", errorMessage: "x", data: { errors: ["1:1 CMS101 a", "2:1 CMS102 b", "3:1 CMS111 c"] } },
      }],
    });
    expect(validationErrorCount(validated, "i-3")).toBe(3);
    expect(validationErrorCount(session({ state: { validation: { errors: 2, warnings: 0 } } }), "i-9")).toBe(2);
  });
});

describe("SessionTracker", () => {
  it("follows the session it was told about, ignores stale notifications", () => {
    const tracker = new SessionTracker();
    const seen: string[] = [];
    tracker.onChange((current, step) => seen.push(`${current?.status}/${step?.name}`));
    tracker.update(session({ updatedAt: "2026-11-25T10:00:02Z" }), { makeCurrent: true });
    tracker.setStep("s-1", { name: "validate_design", phase: "running" });
    tracker.update(session({ status: "complete", updatedAt: "2026-11-25T10:00:01Z" }));
    expect(tracker.current?.status).toBe("active");
    tracker.update(session({ status: "complete", updatedAt: "2026-11-25T10:00:03Z" }));
    expect(seen).toEqual(["active/undefined", "active/validate_design", "complete/validate_design"]);
  });

  it("adopts an active session from a notification when it has none", () => {
    const tracker = new SessionTracker();
    tracker.update(session({ id: "other", status: "active" }));
    expect(tracker.current?.id).toBe("other");
  });
});
