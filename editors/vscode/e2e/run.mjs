// End-to-end test in a real VS Code: code-server with the packaged .vsix, driven by
// playwright-core in headless Chromium, on a copy of the demo shop workspace with the offline
// replay agent. Everything happens through the command palette, as a person would do it.
// The scenes run in this order on one workspace (each picks up where the last one left off):
// serverScenes, sessionScenes, agentScenes, editingScenes; harness.mjs holds the measured
// patience every wait is bounded by, workbench.mjs what a person does in the workbench.
//
// Needs (scripts/setup-e2e.sh prints them): E2E_CODE_SERVER, E2E_NODE_BIN_DIR, E2E_CHROMIUM.
// Exits non-zero with a screenshot and the logs in tests/artifacts/ when a check fails.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { chooseAgent, oneTerminalPerSession } from "./agentScenes.mjs";
import { architecture, fixAll } from "./editingScenes.mjs";
import {
  ARTIFACTS,
  bound,
  check,
  checks,
  CHROMIUM,
  CODE_SERVER,
  CODEMYSPEC,
  DESIGN,
  freePort,
  listening,
  log,
  nodeEnv,
  note,
  prepareUserData,
  prepareWorkspace,
  PYTHON,
  timed,
  VSIX,
} from "./harness.mjs";
import { deliberateRestart, serverDown, walkthrough } from "./serverScenes.mjs";
import { cancelModal, contextInput, manualMode, oneOutline, showSessions, stepByStep, toTheEnd } from "./sessionScenes.mjs";
import { workbench } from "./workbench.mjs";

const started = Date.now();

/** What the store says at the end, through the command-line tool. */
function storeChecks(workspace) {
  const sessions = execFileSync(CODEMYSPEC, ["sessions", "--workspace", workspace], { encoding: "utf8" });
  writeFileSync(join(ARTIFACTS, "vscode-sessions.txt"), sessions);
  const lines = sessions.split("\n");
  check(lines.some((l) => /Orders/.test(l) && /complete/.test(l)), "`codemyspec sessions` lists the Orders session as complete");
  check(lines.some((l) => /Billing/.test(l) && /active/.test(l)), "`codemyspec sessions` lists the Billing session as active");
  const design = readFileSync(join(workspace, DESIGN), "utf8");
  const validation = (() => {
    try {
      return execFileSync(CODEMYSPEC, ["validate", join(workspace, DESIGN)], { encoding: "utf8" });
    } catch (error) {
      return `exit ${error.status}\n${error.stdout}`;
    }
  })();
  check(design.length > 0 && !validation.startsWith("exit 1"), "the final design file passes `codemyspec validate`");
}

async function main() {
  check(existsSync(VSIX), `the packaged extension exists (${VSIX})`);
  check(existsSync(PYTHON), `the repository's Python exists (${PYTHON})`);
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const stale of readdirSync(ARTIFACTS).filter((name) => name.startsWith("vscode-"))) {
    rmSync(join(ARTIFACTS, stale), { force: true });
  }
  const root = mkdtempSync(join(tmpdir(), "codemyspec-vscode-e2e-"));
  const workspace = prepareWorkspace(root);
  const userData = prepareUserData(root);
  const extensionsDir = join(root, "extensions");
  const csLog = join(ARTIFACTS, "vscode-code-server.log");

  log(`installing ${VSIX} into code-server`);
  // The first reference duration: every later bound scales with what this machine does now.
  await timed("installing the extension", () =>
    execFileSync(CODE_SERVER, ["--extensions-dir", extensionsDir, "--user-data-dir", userData, "--install-extension", VSIX], {
      env: nodeEnv,
      stdio: ["ignore", "inherit", "inherit"],
    }),
  );

  const port = await freePort();
  log(`starting code-server on 127.0.0.1:${port}`);
  const spawnedAt = Date.now();
  const codeServer = spawn(
    CODE_SERVER,
    [
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--user-data-dir", userData,
      "--extensions-dir", extensionsDir,
      workspace,
    ],
    { env: nodeEnv, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const csOutput = [];
  codeServer.stdout.on("data", (d) => csOutput.push(d));
  codeServer.stderr.on("data", (d) => csOutput.push(d));
  if (process.env.E2E_PIDFILE) writeFileSync(process.env.E2E_PIDFILE, String(codeServer.pid));
  const stopCodeServer = () => {
    try {
      process.kill(-codeServer.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stopCodeServer);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      stopCodeServer();
      process.exit(130);
    });
  }

  let browser;
  let page;
  try {
    await listening(codeServer, csOutput, bound());
    note("code-server listening", Date.now() - spawnedAt);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await timed("loading the workbench", async () => {
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: bound() });
      await page.locator(".monaco-workbench").waitFor({ timeout: bound() });
    });

    const t = { ...workbench(page, { workspace, userData }), workspace, userData };
    await serverDown(t);
    await walkthrough(t);
    await contextInput(t);
    await stepByStep(t);
    await oneOutline(t);
    await toTheEnd(t);
    await oneTerminalPerSession(t);
    await showSessions(t);
    await manualMode(t);
    await cancelModal(t);
    await deliberateRestart(t);
    await fixAll(t);
    await architecture(t);
    await chooseAgent(t);
    storeChecks(workspace);
  } catch (error) {
    console.error(`[e2e] FAILED: ${error instanceof Error ? error.stack : error}`);
    if (page) await page.screenshot({ path: join(ARTIFACTS, "vscode-failure.png") }).catch(() => undefined);
    checks.failed = Math.max(checks.failed, 1);
  } finally {
    await browser?.close().catch(() => undefined);
    stopCodeServer();
    writeFileSync(csLog, Buffer.concat(csOutput));
    const exthostLogs = execFileSync("find", [userData, "-name", "*.log", "-path", "*exthost*"], { encoding: "utf8" }).trim();
    for (const file of exthostLogs.split("\n").filter(Boolean)) {
      const name = file.includes("CodeMySpec") ? "vscode-output-codemyspec.log" : null;
      if (name) cpSync(file, join(ARTIFACTS, name));
    }
    if (checks.failed === 0 && !process.env.E2E_KEEP) rmSync(root, { recursive: true, force: true });
    else log(`workspace and logs kept in ${root}`);
  }
  log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${checks.passed} passed, ${checks.failed} failed`);
  process.exit(checks.failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
