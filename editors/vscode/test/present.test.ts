import { describe, expect, it } from "vitest";
import { renderTimeline, sessionPickRow, statusBarText } from "../src/present";
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
