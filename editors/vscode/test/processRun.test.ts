import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processResult, runProcess } from "../src/processRun";
import { nodeArgv } from "./helpers";

const base = { cwd: process.cwd(), env: {}, stdin: null, timeoutMs: 30_000 };

describe("runProcess", () => {
  it("captures stdout, stderr and the exit code of a real process", async () => {
    const outcome = await runProcess({
      ...base,
      argv: nodeArgv("process.stdout.write('out'); process.stderr.write('err'); process.exit(3)"),
    });
    expect(outcome).toMatchObject({ code: 3, stdout: "out", stderr: "err", timedOut: false, cancelled: false });
    expect(processResult("node", outcome, 30_000)).toMatchObject({
      status: "error",
      code: 3,
      errorMessage: "node exited with code 3: err",
    });
  });

  it("reports a program that is not installed as exit code 127 (the server's not_found)", async () => {
    const outcome = await runProcess({ ...base, argv: ["codemyspec-no-such-agent", "-p"] });
    expect(outcome.spawnError).toContain("ENOENT");
    expect(processResult("codemyspec-no-such-agent", outcome, 30_000)).toMatchObject({
      status: "error",
      code: 127,
      errorMessage: expect.stringContaining("could not start codemyspec-no-such-agent"),
    });
  });

  it("feeds stdin, adds env and runs in cwd, never through a shell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cms-run-"));
    const outcome = await runProcess({
      ...base,
      cwd: dir,
      env: { CMS_TEST: "value" },
      stdin: "the prompt; $(echo not a shell)",
      argv: nodeArgv(
        "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify([s,process.env.CMS_TEST,process.cwd()])))",
      ),
    });
    expect(JSON.parse(outcome.stdout)).toEqual(["the prompt; $(echo not a shell)", "value", dir]);
    expect(processResult("node", outcome, 1).status).toBe("ok");
  });

  it("passes shell metacharacters through as plain arguments", async () => {
    const outcome = await runProcess({ ...base, argv: [...nodeArgv("console.log(process.argv[1])"), "a; rm -rf / | x"] });
    expect(outcome.stdout.trim()).toBe("a; rm -rf / | x");
  });

  it("kills a process that outlives its timeout and reports an error", async () => {
    const outcome = await runProcess({ ...base, timeoutMs: 300, argv: nodeArgv("setInterval(() => {}, 1000)") });
    expect(outcome.timedOut).toBe(true);
    expect(processResult("node", outcome, 300)).toMatchObject({
      status: "error",
      errorMessage: "node timed out after 300 ms and was stopped",
    });
  });

  it("stops the process when the signal aborts", async () => {
    const abort = new AbortController();
    const running = runProcess({
      ...base,
      signal: abort.signal,
      argv: nodeArgv("console.log('started'); setInterval(() => {}, 1000)"),
      onOutput: () => abort.abort(),
    });
    const outcome = await running;
    expect(outcome.cancelled).toBe(true);
    expect(processResult("node", outcome, 1)).toMatchObject({ status: "error" });
    expect(processResult("node", outcome, 1).errorMessage).toContain("cancelled by the person");
  });

  it("reports a program that does not exist as an error result, not a throw", async () => {
    const outcome = await runProcess({ ...base, argv: ["/nonexistent/codemyspec-agent", "x"] });
    const result = processResult("/nonexistent/codemyspec-agent", outcome, 1);
    expect(result.status).toBe("error");
    expect(result.errorMessage).toContain("ENOENT");
  });

  it("refuses an empty argv", async () => {
    const outcome = await runProcess({ ...base, argv: [] });
    expect(processResult("", outcome, 1)).toMatchObject({ status: "error", errorMessage: expect.stringContaining("empty argv") });
  });
});
