// End-to-end test in a real VS Code: code-server with the packaged .vsix, driven by
// playwright-core in headless Chromium, on a copy of the demo shop workspace with the offline
// replay agent. Everything happens through the command palette, as a person would do it.
//
// Needs (scripts/setup-e2e.sh prints them): E2E_CODE_SERVER, E2E_NODE_BIN_DIR, E2E_CHROMIUM.
// Exits non-zero with a screenshot and the logs in tests/artifacts/ when a check fails.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const EXTENSION_DIR = resolve(HERE, "..");
const REPO = resolve(EXTENSION_DIR, "../..");
const PYTHON = join(REPO, ".venv/bin/python");
const CODEMYSPEC = join(REPO, ".venv/bin/codemyspec");
const VSIX = join(EXTENSION_DIR, "dist/codemyspec.vsix");
const DEMO = join(REPO, "server/codemyspec_lsp/demo/workspace");
const ARTIFACTS = join(REPO, "tests/artifacts");
const IMAGES = join(REPO, "docs/images");
const DESIGN = "docs/design/shop/orders.md";
/** docs/images/ holds the committed screenshots: rewritten only when asked. */
const UPDATE_IMAGES = process.env.CODEMYSPEC_UPDATE_SCREENSHOTS === "1";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run scripts/setup-e2e.sh (scripts/test.sh does)`);
  return value;
};
const CODE_SERVER = env("E2E_CODE_SERVER");
const NODE_BIN_DIR = env("E2E_NODE_BIN_DIR");
const CHROMIUM = env("E2E_CHROMIUM");

const log = (message) => console.log(`[e2e] ${message}`);
const started = Date.now();
const checks = { passed: 0, failed: 0 };

function check(condition, what) {
  if (!condition) {
    checks.failed += 1;
    throw new Error(`check failed: ${what}`);
  }
  checks.passed += 1;
  log(`ok: ${what}`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** A fresh copy of the demo workspace, set up to use the repo's server in auto mode. */
function prepareWorkspace(root) {
  const workspace = join(root, "shop");
  cpSync(DEMO, workspace, { recursive: true });
  rmSync(join(workspace, ".codemyspec/sessions.json"), { force: true });
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  writeFileSync(
    join(workspace, ".vscode/settings.json"),
    JSON.stringify(
      {
        "codemyspec.server.pythonPath": PYTHON,
        "codemyspec.executionMode": "auto",
        "codemyspec.trace.server": "verbose",
      },
      null,
      2,
    ),
  );
  return workspace;
}

function prepareUserData(root) {
  const userData = join(root, "user-data");
  mkdirSync(join(userData, "User"), { recursive: true });
  // Quiet first start: no welcome page, no tips, no telemetry prompts, no auto-updates.
  writeFileSync(
    join(userData, "User/settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "update.mode": "none",
      "security.workspace.trust.enabled": false,
      "window.commandCenter": false,
      "chat.disableAIFeatures": true,
      "workbench.secondarySideBar.defaultVisibility": "hidden",
    }),
  );
  return userData;
}

async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, name) });
  if (UPDATE_IMAGES) {
    mkdirSync(IMAGES, { recursive: true });
    cpSync(join(ARTIFACTS, name), join(IMAGES, name));
  }
}

const nodeEnv = { ...process.env, PATH: `${NODE_BIN_DIR}:${process.env.PATH}` };

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
  execFileSync(CODE_SERVER, ["--extensions-dir", extensionsDir, "--user-data-dir", userData, "--install-extension", VSIX], {
    env: nodeEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });

  const port = await freePort();
  log(`starting code-server on 127.0.0.1:${port}`);
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
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
    log("workbench loaded");

    const statusItem = page.locator(".statusbar-item", { hasText: "CodeMySpec" }).first();
    await statusItem.waitFor({ timeout: 90_000 });
    log(`status bar: ${await statusItem.innerText()}`);

    const palette = async (title) => {
      await page.locator(".monaco-workbench").click({ position: { x: 800, y: 400 } }).catch(() => undefined);
      await page.keyboard.press("F1");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill(`>${title}`);
      await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press("Enter");
    };
    const answer = async (text) => {
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill(text);
      await page.keyboard.press("Enter");
    };
    const statusShows = async (text, timeout = 60_000) => {
      await page.locator(".statusbar-item", { hasText: text }).first().waitFor({ timeout });
      log(`status bar shows "${text}"`);
    };
    /** The step's progress notification is gone: the extension takes the next command. */
    const idle = async (context) => {
      await page.locator(".notification-toast", { hasText: `CodeMySpec: ${context}` }).filter({ has: page.locator(".progress-bit, .monaco-progress-container") }).first().waitFor({ state: "hidden", timeout: 60_000 }).catch(() => undefined);
      await page.waitForTimeout(500);
    };
    /** Start Context Design Session: the context, then the (optional) description. */
    const startSession = async (context, description) => {
      await palette("CodeMySpec: Start Context Design Session");
      await answer(context);
      await page.waitForTimeout(300);
      await answer(description);
      await statusShows(`CodeMySpec: ${context}`);
    };

    // 1. Start a session from the palette.
    await startSession("Orders", "Orders placed at checkout, their lines and their cancellation");

    // 2. Step by step until the first validation fails: the Problems view must show the
    //    flawed design's errors (the offline agent writes a design with real mistakes).
    for (const expected of ["initialize: ok", "generate_context_design: ok", "validate_design: error"]) {
      await palette("CodeMySpec: Run Next Step");
      await statusShows(expected);
      await idle("Orders");
    }
    await palette("View: Focus Problems (Errors, Warnings, Infos)");
    const markers = page.locator(".markers-panel .monaco-list-row");
    await markers.first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    const problemsText = await page.locator(".markers-panel").innerText();
    writeFileSync(join(ARTIFACTS, "vscode-problems.txt"), problemsText);
    check(problemsText.includes("orders.md"), "the Problems view lists orders.md");
    check(/CMS\d{3}/.test(problemsText), "the Problems view shows CodeMySpec diagnostic codes");
    await screenshot(page, "vscode-problems.png");

    // 3. The rest of the session from the palette: revise, validate again, finalize.
    await palette("CodeMySpec: Run Session to the End");
    await statusShows("complete", 120_000);
    await page.locator(".notifications-toasts", { hasText: "session is complete" }).first().waitFor({ timeout: 30_000 });
    check(true, "the notification says the session is complete");
    await page.waitForTimeout(1500);
    const afterText = await page.locator(".markers-panel").innerText().catch(() => "");
    writeFileSync(join(ARTIFACTS, "vscode-problems-after.txt"), afterText);
    check(!afterText.includes("orders.md"), "after the revision the Problems view lists nothing for orders.md");
    await screenshot(page, "vscode-session-complete.png");

    // 4. Show Sessions: the quick pick lists the session as complete; its timeline opens.
    await palette("CodeMySpec: Show Sessions");
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "Orders" }).first();
    await row.waitFor({ timeout: 15_000 });
    check((await row.innerText()).includes("complete"), "Show Sessions lists the Orders session as complete");
    await page.keyboard.press("Enter");
    const timeline = page.locator(".editor-instance .view-lines", { hasText: "Timeline" }).first();
    await timeline.waitFor({ timeout: 15_000 });
    check(true, "the session timeline opens in an editor");
    await screenshot(page, "vscode-timeline.png");

    // 5. Manual mode (the default): before an agent runs, a modal shows its argv and
    //    description; declining runs nothing and leaves the step pending.
    writeFileSync(
      join(workspace, ".vscode/settings.json"),
      JSON.stringify({ "codemyspec.server.pythonPath": PYTHON, "codemyspec.executionMode": "manual" }, null, 2),
    );
    await page.waitForTimeout(1500);
    await startSession("Billing", "");
    await palette("CodeMySpec: Run Next Step");
    await statusShows("Billing · initialize: ok");
    await idle("Billing");
    await palette("CodeMySpec: Run Next Step");
    const dialog = page.locator(".monaco-dialog-box");
    await dialog.waitFor({ timeout: 30_000 });
    const dialogText = await dialog.innerText();
    writeFileSync(join(ARTIFACTS, "vscode-manual-confirmation.txt"), dialogText);
    check(dialogText.includes("codemyspec_lsp.demo.replay_agent"), "manual mode: the confirmation shows the agent's argv");
    check(/generate_context_design/.test(dialogText), "manual mode: the confirmation names the step");
    await screenshot(page, "vscode-manual-confirmation.png");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 15_000 });
    await page.locator(".notifications-toasts", { hasText: "Not run" }).first().waitFor({ timeout: 15_000 });
    check(
      await page.locator(".statusbar-item", { hasText: "Billing · initialize: ok" }).first().isVisible(),
      "manual mode: declining runs nothing (the status bar still shows initialize as the last step)",
    );
    check(!existsSync(join(workspace, "docs/design/shop/billing.md")), "manual mode: no design file was written");

    // 6. What the store says, through the command-line tool.
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
