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
const IMAGES = join(EXTENSION_DIR, "images");
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

// Every wait is for a condition (an element, a toast, a file's content, a log line). Its bound
// is never a constant: it comes from durations measured in this run, so a loaded machine gets
// proportionally more time. `bound()` is PATIENCE times the slowest reference measured so far
// (installing the extension, code-server listening, the workbench loading, the server starting,
// a palette round trip, a session step). A check that something does NOT happen waits for it
// ABSENCE times the measured latency of the event it would come with.
const PATIENCE = 8;
const ABSENCE = 3;
const measured = new Map();
function note(name, ms) {
  measured.set(name, Math.max(1, Math.round(ms)));
  log(`measured ${name}: ${measured.get(name)} ms`);
}
function bound(times = PATIENCE) {
  return Math.round(times * Math.max(...measured.values()));
}
function latency(name) {
  const ms = measured.get(name);
  if (ms === undefined) throw new Error(`nothing measured as ${name}`);
  return ms;
}
/** Runs `action`, notes how long it took as `name`, returns its result. */
async function timed(name, action) {
  const at = Date.now();
  const result = await action();
  note(name, Date.now() - at);
  return result;
}
/** Waits until `condition()` is truthy (a file's content, a log line), at most `ms`. */
async function until(what, condition, ms = bound()) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolvePoll) => setTimeout(resolvePoll, POLL_MS));
  }
}
/** How often `until` looks again: a polling cadence, never a reason to pass or fail. */
const POLL_MS = 50;

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

/** Resolves when code-server says it listens (its own log line), fails when it exits first. */
function listening(child, output, timeoutMs) {
  return new Promise((resolveListening, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms`)), timeoutMs);
    const look = () => {
      if (/HTTP server listening on/.test(Buffer.concat(output).toString())) {
        clearTimeout(timer);
        resolveListening();
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening`));
    });
    look();
  });
}

/** The walkthrough the extension contributes, read from its manifest: each step's title and
 * the label and command of its one link (`[label](command:id?args)`). */
const MANIFEST = JSON.parse(readFileSync(join(EXTENSION_DIR, "package.json"), "utf8"));
const WALKTHROUGH = MANIFEST.contributes.walkthroughs[0];
const WALKTHROUGH_TITLE = WALKTHROUGH.title;
const WALKTHROUGH_STEPS = WALKTHROUGH.steps.map((step) => {
  const link = step.description.match(/\[([^\]]+)\]\(command:([\w.]+)/);
  return { title: step.title, link: link?.[1], command: link?.[2] };
});
const PALETTE_START = "codemyspec.startSession";
/** The prompt of the context input box (sessionStart.ts). */
const CONTEXT_PROMPT = "The bounded context to design";

/** A Python without the server installed: the first start must fail and say why. */
const BARE_PYTHON = "/usr/bin/python3";

function writeWorkspaceSettings(workspace, settings) {
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  writeFileSync(join(workspace, ".vscode/settings.json"), JSON.stringify(settings, null, 2));
}

/** A fresh copy of the demo workspace, pointing at an interpreter without the server. */
function prepareWorkspace(root) {
  const workspace = join(root, "shop");
  cpSync(DEMO, workspace, { recursive: true });
  rmSync(join(workspace, ".codemyspec/sessions.json"), { force: true });
  writeWorkspaceSettings(workspace, { "codemyspec.server.pythonPath": BARE_PYTHON, "codemyspec.executionMode": "auto" });
  return workspace;
}

/** Whether the installed server's CLI has this subcommand (features land server-side first). */
function cliOffers(args) {
  try {
    execFileSync(CODEMYSPEC, args, { stdio: "ignore" });
    return true;
  } catch (error) {
    return error.status === 0 || error.status === 1; // graph exits 1 on a cycle
  }
}

/** Whether the installed server has this module (for features that land server-side first). */
function pythonHas(module) {
  try {
    execFileSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The extension's output channel as written so far (the exthost's output log). */
function outputLog(userData) {
  const files = execFileSync("find", [userData, "-name", "*CodeMySpec*.log"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  return files.map((file) => readFileSync(file, "utf8")).join("\n");
}

/** Waits until the output channel has one more line matching `pattern` than `before` counted. */
async function outputSays(userData, pattern, before, what) {
  return until(what, () => (outputLog(userData).match(new RegExp(pattern.source, "g")) ?? []).length > before);
}

function occurrences(userData, pattern) {
  return (outputLog(userData).match(new RegExp(pattern.source, "g")) ?? []).length;
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
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      // The DOM renderer, so the test can read what an agent terminal shows.
      "terminal.integrated.gpuAcceleration": "off",
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

    const palette = async (title) => {
      // Focus the workbench (not a webview) without touching an editor's text.
      await page.locator(".part.titlebar").first().click({ position: { x: 700, y: 10 } }).catch(() => undefined);
      await page.keyboard.press("F1");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: bound() });
      await input.fill(`>${title}`);
      await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: bound() });
      await page.keyboard.press("Enter");
    };
    const answer = async (text) => {
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: bound() });
      await input.fill(text);
      await page.keyboard.press("Enter");
    };
    /** An input box asking `prompt` is showing (the previous one has gone). */
    const asked = async (prompt) => {
      await page.locator(".quick-input-widget", { hasText: prompt }).first().waitFor({ timeout: bound() });
    };
    const statusShows = async (text, timeout = bound()) => {
      await page.locator(".statusbar-item", { hasText: text }).first().waitFor({ timeout });
      log(`status bar shows "${text}"`);
    };
    const toast = (text) => page.locator(".notifications-toasts .notification-toast", { hasText: text });
    const anyToast = page.locator(".notifications-toasts .notification-toast");
    /** No toast in view; one that arrives while the others are cleared is cleared next round. */
    const clearToasts = async () => {
      for (let round = 1; (await anyToast.count()) > 0; round += 1) {
        if (round > 3) throw new Error("notifications keep coming back after Clear All Notifications");
        await palette("Notifications: Clear All Notifications");
        await anyToast.first().waitFor({ state: "hidden", timeout: bound() }).catch(() => undefined);
      }
    };
    /** Fails the check `what` if `locator` shows up within `ms` (a measured latency's multiple). */
    const absent = async (locator, what, ms) => {
      const appeared = await locator.first().waitFor({ timeout: ms }).then(() => true, () => false);
      check(!appeared, `${what} (nothing within ${ms} ms)`);
    };
    const DESCRIPTION_PROMPT = "What the context is for";
    /** Run Next Step: the step's outcome is announced (the extension then takes the next command). */
    const nextStep = async (context, step, status) => {
      await palette("CodeMySpec: Run Next Step");
      await statusShows(`${context} · ${step}: ${status}`);
      const said = step === "validate_design" && status === "error" ? "failed validation with" : `${context} · ${step}: ${status}`;
      await toast(said).first().waitFor({ timeout: bound() });
    };
    /** Start Context Design Session: the context, then the (optional) description. */
    const startSession = async (context, description) => {
      await palette("CodeMySpec: Start Context Design Session");
      await asked(CONTEXT_PROMPT);
      await answer(context);
      await asked(DESCRIPTION_PROMPT);
      await answer(description);
      await statusShows(`CodeMySpec: ${context}`);
    };
    const pickRow = async (text) => {
      const row = page.locator(".quick-input-list .monaco-list-row", { hasText: text }).first();
      await row.waitFor({ timeout: bound() });
      await row.click();
    };
    /** Writes the workspace settings and waits until the extension says it saw them change. */
    const settings = async (values, changedKey) => {
      const pattern = new RegExp(`Settings changed: [^\\n]*${changedKey.replace(/\./g, "\\.")}`);
      const before = occurrences(userData, pattern);
      writeWorkspaceSettings(workspace, values);
      await outputSays(userData, pattern, before, `the extension sees ${changedKey} change`);
    };
    const closePanel = async () => {
      if (await page.locator(".part.panel").isVisible()) await palette("View: Hide Panel");
      await page.locator(".part.panel").waitFor({ state: "hidden", timeout: bound() });
    };
    /** What the agent terminal `name` shows, read from the top with the panel maximized. */
    const terminalText = async (name) => {
      await palette("Terminal: Switch Active Terminal");
      await pickRow(name);
      await palette("View: Toggle Maximized Panel");
      const rows = page.locator(".xterm-rows").filter({ visible: true }).first();
      await rows.filter({ hasText: "revise_design" }).waitFor({ timeout: bound() });
      await palette("Terminal: Scroll to Top");
      await rows.filter({ hasText: "generate_context_design" }).waitFor({ timeout: bound() });
      const text = await rows.innerText();
      await palette("View: Toggle Maximized Panel");
      return text;
    };
    /** The agent terminals, as "Terminal: Switch Active Terminal" lists them. */
    const agentTerminals = async () => {
      await palette("Terminal: Switch Active Terminal");
      await page.locator(".quick-input-list .monaco-list-row").first().waitFor({ timeout: bound() });
      const rows = (await page.locator(".quick-input-list .monaco-list-row", { hasText: "CodeMySpec" }).allInnerTexts()).map((row) => row.replace(/\s+/g, " ").trim());
      await page.keyboard.press("Escape");
      await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: bound() });
      return rows;
    };

    // 1. A server that cannot start (the interpreter lacks the package): the status bar says
    //    so, an error names the interpreter and the fix, no "server restarted" success, and
    //    "Open Settings" lands where the setting can be set.
    await timed("the first (failing) server start", () => statusShows("server not running"));
    const failure = toast("not installed for");
    await failure.first().waitFor({ timeout: bound() });
    const failureText = await failure.first().innerText();
    writeFileSync(join(ARTIFACTS, "vscode-server-failed.txt"), failureText);
    check(failureText.includes(BARE_PYTHON) && failureText.includes("pip install"), "a failed start names the interpreter and the install command");
    await screenshot(page, "vscode-server-failed.png");
    await clearToasts();
    await timed("a failing restart", async () => {
      await palette("CodeMySpec: Restart Server");
      await failure.first().waitFor({ timeout: bound() });
    });
    // A success message would come with the error (the bug): look for it a while longer.
    await absent(toast("server restarted"), "a restart that fails again shows the error and no success message", ABSENCE * latency("a failing restart"));
    await failure.first().locator(".monaco-button", { hasText: "Open Settings" }).first().click();
    const settingRow = page.locator(".settings-editor .setting-item-contents", { hasText: "Python Path" }).first();
    await settingRow.waitFor({ timeout: bound() });
    check((await settingRow.innerText()).includes("Python Path"), "Open Settings shows the codemyspec.server.pythonPath setting (not \"No Settings Found\")");
    // Escape leaves the settings search box (F1 does not open the palette from it).
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await palette("View: Close All Editors");
    await settingRow.waitFor({ state: "hidden", timeout: bound() });
    await palette("CodeMySpec: Run Next Step");
    const refused = toast("not running");
    await refused.first().waitFor({ timeout: bound() });
    check((await refused.first().innerText()).includes("Restart Server"), "a command refused while the server is down says why and how to fix it");
    await clearToasts();

    // The fix: the repository's interpreter (the extension offers a restart), then Restart Server.
    await settings({ "codemyspec.server.pythonPath": PYTHON, "codemyspec.executionMode": "auto", "codemyspec.trace.server": "verbose" }, "codemyspec.server.pythonPath");
    await toast("server settings changed").first().waitFor({ timeout: bound() });
    await clearToasts();
    await timed("a server start", async () => {
      await palette("CodeMySpec: Restart Server");
      await toast("server restarted").first().waitFor({ timeout: bound() });
    });
    await statusShows("CodeMySpec");
    check(!(await page.locator(".statusbar-item", { hasText: "server not running" }).count()), "after the fix the status bar no longer says the server is down");
    await clearToasts();

    // 1b. The walkthrough (Welcome: Open Walkthrough...) lists ours; it opens on its three
    //     steps, and each step's link runs what it says: quick open on docs/design/, the start
    //     of a session (its context input box), the Problems view.
    await palette("Welcome: Open Walkthrough...");
    await pickRow(WALKTHROUGH_TITLE);
    const walkthrough = page.locator(".gettingStartedContainer, .gettingStarted").first();
    const stepButton = (title) => walkthrough.locator("button.getting-started-step", { hasText: title }).first();
    const expandedStep = (title) => walkthrough.locator('button.getting-started-step[aria-expanded="true"]', { hasText: title }).first();
    await stepButton(WALKTHROUGH_STEPS[0].title).waitFor({ timeout: bound() });
    const shownSteps = [];
    for (const step of WALKTHROUGH_STEPS) if (await stepButton(step.title).count()) shownSteps.push(step.title);
    check(shownSteps.length === WALKTHROUGH_STEPS.length, `the walkthrough opens on its steps (${shownSteps.join(", ")})`);
    await screenshot(page, "vscode-walkthrough.png");
    const notFound = toast("not found");
    for (const step of WALKTHROUGH_STEPS) {
      // The Problems link must open a panel that was closed.
      if (step.command === "workbench.actions.view.problems") await closePanel();
      // A click on a collapsed step expands it (on an expanded one it could hit its link).
      if ((await stepButton(step.title).getAttribute("aria-expanded")) !== "true") await stepButton(step.title).click();
      await expandedStep(step.title).waitFor({ timeout: bound() });
      const described = await expandedStep(step.title).locator(".step-description-container p").first().innerText();
      check(!described.includes("`"), `the walkthrough step "${step.title}" shows no raw Markdown (${described})`);
      const link = expandedStep(step.title).locator(".button-container .monaco-button", { hasText: step.link }).first();
      await link.waitFor({ timeout: bound() });
      await link.click();
      let seen;
      if (step.command === "workbench.action.quickOpen") {
        const input = page.locator(".quick-input-widget input");
        await page.locator(".quick-input-list .monaco-list-row", { hasText: ".md" }).first().waitFor({ timeout: bound() });
        seen = (await input.inputValue()) === "docs/design/" && /orders\.md|catalog\.md/.test(await page.locator(".quick-input-list").innerText());
        await page.keyboard.press("Escape");
      } else if (step.command === PALETTE_START) {
        seen = await page.locator(".quick-input-widget", { hasText: CONTEXT_PROMPT }).first().waitFor({ timeout: bound() }).then(() => true, () => false);
        await page.keyboard.press("Escape");
      } else if (step.command === "workbench.actions.view.problems") {
        seen = await page.locator(".markers-panel").first().waitFor({ timeout: bound() }).then(() => true, () => false);
      } else {
        seen = false;
        log(`no known effect of ${step.command}: say in this test what its link should show`);
      }
      await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: bound() });
      check(seen && !(await notFound.count()), `the walkthrough's "${step.link}" link runs ${step.command}`);
    }
    await palette("View: Close All Editors");
    await clearToasts();

    // 2. The context name is checked as it is typed, with the server's rule: the input box
    //    refuses `shop.orders` before asking for the description.
    await palette("CodeMySpec: Start Context Design Session");
    await asked(CONTEXT_PROMPT);
    const inputMessage = page.locator(".quick-input-widget .quick-input-message");
    await timed("a name check round trip", async () => {
      await page.locator(".quick-input-widget input").fill("shop.orders");
      await page.waitForFunction(() => /capital/i.test(document.querySelector(".quick-input-widget .quick-input-message")?.textContent ?? ""), null, { timeout: bound() });
    });
    check(/capital/i.test(await inputMessage.innerText()), "the context input box refuses shop.orders as it is typed, saying why");
    await page.keyboard.press("Enter");
    await absent(page.locator(".quick-input-widget", { hasText: DESCRIPTION_PROMPT }), "a refused name does not move on to the description", ABSENCE * latency("a name check round trip"));
    await answer("Orders");
    await asked(DESCRIPTION_PROMPT);
    await answer("Orders placed at checkout, their lines and their cancellation");
    await statusShows("CodeMySpec: Orders");
    await clearToasts();

    // 3. Step by step until the first validation fails: a notification names the error count
    //    and offers the next step; the Problems view shows the flawed design's errors.
    await timed("a session step", () => nextStep("Orders", "initialize", "ok"));
    await nextStep("Orders", "generate_context_design", "ok");
    await nextStep("Orders", "validate_design", "error");
    const failedValidation = toast("failed validation with");
    await failedValidation.first().waitFor({ timeout: bound() });
    const failedText = await failedValidation.first().innerText();
    writeFileSync(join(ARTIFACTS, "vscode-validation-failed.txt"), failedText);
    check(/failed validation with \d+ errors?/.test(failedText), "a failed validation says so with its error count");
    check(failedText.includes("Run Next Step"), "a failed validation offers the next step");
    const markers = page.locator(".markers-panel", { hasText: /CMS\d{3}/ }).filter({ hasText: "orders.md" });
    await markers.first().waitFor({ timeout: bound() });
    const problemsText = await page.locator(".markers-panel").innerText();
    writeFileSync(join(ARTIFACTS, "vscode-problems.txt"), problemsText);
    check(problemsText.includes("orders.md"), "the Problems view lists orders.md");
    check(/CMS\d{3}/.test(problemsText), "the Problems view shows CodeMySpec diagnostic codes");
    await screenshot(page, "vscode-problems.png");

    // 4. One Outline for the design: no second tree beside the built-in Markdown one. The
    //    Outline renders once every symbol provider has answered, so one look suffices.
    await palette("Explorer: Focus on Outline View");
    const outlineRows = page.locator(".monaco-list-row", { has: page.locator(".outline-element", { hasText: "Purpose" }) });
    await outlineRows.first().waitFor({ timeout: bound() });
    const outlineText = await page.locator(".pane", { has: page.locator(".outline-element") }).first().innerText();
    writeFileSync(join(ARTIFACTS, "vscode-outline.txt"), outlineText);
    const sections = outlineText.split("\n").filter((line) => line.replace(/^#+\s*/, "").trim() === "Purpose").length;
    check(sections === 1, `the Outline shows the design once (the "Purpose" section ${sections} time(s))`);

    // 5. The rest of the session from the palette: revise, validate again, finalize.
    await clearToasts();
    await palette("CodeMySpec: Run Session to the End");
    await statusShows("complete", bound(3 * PATIENCE));
    await toast("session is complete").first().waitFor({ timeout: bound() });
    await screenshot(page, "vscode-session-complete.png");
    await absent(toast("session is complete").nth(1), "the finished session is said once", ABSENCE * latency("a session step"));
    await page.locator(".markers-panel", { hasText: "orders.md" }).first().waitFor({ state: "hidden", timeout: bound() }).catch(() => undefined);
    const afterText = await page.locator(".markers-panel").innerText().catch(() => "");
    writeFileSync(join(ARTIFACTS, "vscode-problems-after.txt"), afterText);
    check(!afterText.includes("orders.md"), "after the revision the Problems view lists nothing for orders.md");

    // 6. One agent terminal per session, reused by generate and revise with a header per step;
    //    kept after the session ends (codemyspec.agentTerminal "keep", the default).
    const terminalRows = await agentTerminals();
    writeFileSync(join(ARTIFACTS, "vscode-terminals.txt"), terminalRows.join("\n"));
    check(terminalRows.length === 1 && terminalRows[0].includes("Shop.Orders"), `one agent terminal for the session, kept after it ended (found ${terminalRows.length}: ${terminalRows.join(", ")})`);
    const screenText = await terminalText("Shop.Orders");
    writeFileSync(join(ARTIFACTS, "vscode-terminal-orders.txt"), screenText);
    const headers = screenText.split("\n").map((line) => line.match(/─{8}\s(\w+):/)?.[1]).filter(Boolean);
    check(headers.join(",") === "generate_context_design,revise_design", `the session's terminal has one header per agent step (${headers.join(", ")})`);
    await screenshot(page, "vscode-agent-terminal.png");

    // 6b. codemyspec.agentTerminal "close": the session's one terminal closes when it ends.
    await settings({ "codemyspec.server.pythonPath": PYTHON, "codemyspec.executionMode": "auto", "codemyspec.agentTerminal": "close" }, "codemyspec.agentTerminal");
    await startSession("Payments", "");
    await clearToasts();
    await nextStep("Payments", "initialize", "ok");
    await nextStep("Payments", "generate_context_design", "ok");
    const during = await agentTerminals();
    check(during.filter((row) => row.includes("Shop.Payments")).length === 1, `"close": the running session has its one agent terminal (${during.join(", ")})`);
    await clearToasts();
    await palette("CodeMySpec: Run Session to the End");
    await toast("Payments session is complete").first().waitFor({ timeout: bound(3 * PATIENCE) });
    const after = await agentTerminals();
    writeFileSync(join(ARTIFACTS, "vscode-terminals-close.txt"), after.join("\n"));
    check(!after.some((row) => row.includes("Shop.Payments")), `"close": the session's agent terminal closed when it ended (left: ${after.join(", ") || "none"})`);
    check(after.some((row) => row.includes("Shop.Orders")), "\"close\" closes only the terminal of the session that ended");
    await closePanel();
    await clearToasts();

    // 7. Show Sessions: the session is listed as complete; it can open its design and timeline.
    await palette("View: Close All Editors");
    await palette("CodeMySpec: Show Sessions");
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "Orders" }).first();
    await row.waitFor({ timeout: bound() });
    check((await row.innerText()).includes("complete"), "Show Sessions lists the Orders session as complete");
    await row.click();
    await pickRow("Open Design");
    await page.locator(".tabs-container .tab.active", { hasText: "orders.md" }).waitFor({ timeout: bound() });
    check(true, "Show Sessions opens the design of the picked session");
    await palette("CodeMySpec: Show Sessions");
    await pickRow("Orders");
    await pickRow("Open Timeline");
    const timeline = page.locator(".editor-instance .view-lines", { hasText: "Timeline" }).first();
    await timeline.waitFor({ timeout: bound() });
    check(true, "the session timeline opens in an editor");
    await screenshot(page, "vscode-timeline.png");

    // 8. Manual mode (the default): before an agent runs, a modal shows its argv and
    //    description; declining runs nothing and leaves the step pending.
    await settings({ "codemyspec.server.pythonPath": PYTHON, "codemyspec.executionMode": "manual" }, "codemyspec.executionMode");
    // Starting a context that already has a complete session asks first.
    await palette("CodeMySpec: Start Context Design Session");
    await asked(CONTEXT_PROMPT);
    await answer("Orders");
    const again = page.locator(".monaco-dialog-box");
    await again.waitFor({ timeout: bound() });
    const againText = await again.innerText();
    writeFileSync(join(ARTIFACTS, "vscode-start-again.txt"), againText);
    check(/already has a complete design session/.test(againText), "starting Orders again asks first (it has a complete session)");
    await page.keyboard.press("Escape");
    await again.waitFor({ state: "detached", timeout: bound() });
    await startSession("Billing", "");
    await nextStep("Billing", "initialize", "ok");
    await palette("CodeMySpec: Run Next Step");
    const dialog = page.locator(".monaco-dialog-box");
    await dialog.waitFor({ timeout: bound() });
    const dialogText = await dialog.innerText();
    writeFileSync(join(ARTIFACTS, "vscode-manual-confirmation.txt"), dialogText);
    check(dialogText.includes("codemyspec_lsp.demo.replay_agent"), "manual mode: the confirmation shows the agent's argv");
    check(/generate_context_design/.test(dialogText), "manual mode: the confirmation names the step");
    await screenshot(page, "vscode-manual-confirmation.png");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: bound() });
    await toast("Not run").first().waitFor({ timeout: bound() });
    const settledBack = await page.locator(".statusbar-item", { hasText: "Billing · initialize: ok" }).first().waitFor({ timeout: bound() }).then(() => true, () => false);
    check(settledBack, "manual mode: declining runs nothing (the status bar still shows initialize as the last step)");
    check(!existsSync(join(workspace, "docs/design/shop/billing.md")), "manual mode: no design file was written");

    // 9. The cancel modal's buttons cannot be mixed up: "Cancel Session" and "Keep Session".
    await palette("CodeMySpec: Cancel Session");
    await dialog.waitFor({ timeout: bound() });
    const buttons = (await dialog.locator(".monaco-button").allInnerTexts()).map((text) => text.trim()).filter(Boolean);
    writeFileSync(join(ARTIFACTS, "vscode-cancel-buttons.txt"), buttons.join("\n"));
    check(buttons.includes("Cancel Session") && buttons.includes("Keep Session") && !buttons.includes("Cancel"), `the cancel modal offers "Cancel Session" and "Keep Session" (${buttons.join(", ")})`);
    await dialog.locator(".monaco-button", { hasText: "Keep Session" }).click();
    await dialog.waitFor({ state: "detached", timeout: bound() });

    // 10. A deliberate restart logs no error. The new server's first line ("Python for the
    //     server") comes after anything the old one's end could have logged.
    await clearToasts();
    const starts = occurrences(userData, /Python for the server/);
    await palette("CodeMySpec: Restart Server");
    await toast("server restarted").first().waitFor({ timeout: bound() });
    await outputSays(userData, /Python for the server/, starts, "the restarted server's first line in the output channel");
    const logText = outputLog(userData);
    writeFileSync(join(ARTIFACTS, "vscode-output-after-restart.log"), logText);
    check(logText.includes("Restarting the server"), "the output channel logs the restart");
    check(!/exited with code|\[Error/.test(logText), "a deliberate restart logs no error");

    // 10b. Fix All never makes an error vanish with words that say nothing: a deleted heading
    //      comes back above its orphaned paragraph, inserted sections hold only a comment and
    //      stay errors (CMS102) in the Problems view.
    const reviews = join(workspace, "docs/design/shop/reviews.md");
    const orphaned = "# Reviews\n\nCustomers review the products they bought.\n\n## Entity Ownership\n- Review: one per customer and product\n";
    writeFileSync(reviews, orphaned);
    await palette("View: Close All Editors");
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "reviews.md" }).first().click({ timeout: bound() });
    await page.locator(".tabs-container .tab.active", { hasText: "reviews.md" }).waitFor({ timeout: bound() });
    // Fix All needs the server's diagnostics: wait for their squiggles in the editor.
    await page.locator(".editor-instance .squiggly-error").first().waitFor({ timeout: bound() });
    await palette("Fix All");
    await page.locator(".editor-instance .view-lines", { hasText: "Purpose" }).first().waitFor({ timeout: bound() });
    await palette("File: Save");
    const reviewed = await until("the fixed reviews.md on disk", () => {
      const text = readFileSync(reviews, "utf8");
      return text !== orphaned && text;
    }).catch(() => readFileSync(reviews, "utf8"));
    writeFileSync(join(ARTIFACTS, "vscode-fix-all.md"), reviewed);
    check(reviewed.startsWith("# Reviews\n\n## Purpose\nCustomers review the products they bought."), "Fix All restores the deleted Purpose heading above its paragraph");
    check(!/Describe what|Write this section/.test(reviewed) && /<!-- /.test(reviewed), "Fix All inserts sections with only their guidance as a comment");
    await palette("View: Focus Problems (Errors, Warnings, Infos)");
    const reviewMarkers = page.locator(".markers-panel", { hasText: "reviews.md" }).filter({ hasText: "CMS102" });
    const stillErrors = await reviewMarkers.first().waitFor({ timeout: bound() }).then(() => true, () => false);
    const reviewProblems = await page.locator(".markers-panel").innerText();
    writeFileSync(join(ARTIFACTS, "vscode-problems-fix-all.txt"), reviewProblems);
    check(stillErrors && /CMS102/.test(reviewProblems) && /reviews\.md/.test(reviewProblems), "the sections Fix All inserted are still errors (CMS102) in the Problems view");
    rmSync(reviews, { force: true });

    // 11. Show Architecture: the webview draws every context of the demo (Mermaid bundled,
    //     no network); a click on a context opens its design.
    if (cliOffers(["graph", "--workspace", workspace, "--format", "json"])) {
      const graph = JSON.parse(execFileSync(CODEMYSPEC, ["graph", "--workspace", workspace, "--format", "json"], { encoding: "utf8" }).toString() || "{}");
      await palette("View: Close All Editors");
      await closePanel();
      await palette("CodeMySpec: Show Architecture");
      const view = page.frameLocator("iframe.webview").frameLocator("iframe#active-frame");
      await view.locator("#graph svg g.node").first().waitFor({ timeout: bound() });
      const svgText = await view.locator("#graph svg").innerHTML();
      const names = graph.contexts.map((context) => context.module);
      writeFileSync(join(ARTIFACTS, "vscode-architecture.svg"), svgText);
      check(names.length >= 3 && names.every((name) => svgText.includes(name)), `the architecture view draws every context (${names.join(", ")})`);
      await screenshot(page, "vscode-architecture.png");
      await view.locator('#graph g.node[data-module="Shop.Catalog"]').first().click();
      await page.locator(".tabs-container .tab", { hasText: "catalog.md" }).first().waitFor({ timeout: bound() });
      check(true, "a click on a context in the architecture view opens its design");

      // Rename from VS Code (issue 14): Shop.Catalog -> Shop.Products on its H3 moves the file
      // and edits every design naming it; the architecture view refreshes on its own.
      if (!pythonHas("codemyspec_lsp.lsp.navigation")) {
        log("skipped rename: this server has no rename yet");
      } else {
      const catalogLine = readFileSync(join(workspace, "docs/design/shop/catalog.md"), "utf8").split("\n").findIndex((line) => line.trim() === "### Shop.Catalog");
      await page.locator(".tabs-container .tab", { hasText: "catalog.md" }).first().click();
      await page.keyboard.press("Control+G");
      await answer(`:${catalogLine + 1}:12`);
      // The cursor is there when the status bar says so.
      await page.locator(".statusbar-item", { hasText: `Ln ${catalogLine + 1}, Col 12` }).first().waitFor({ timeout: bound() });
      await page.keyboard.press("F2");
      const renameInput = page.locator(".rename-box input, .rename-input");
      await renameInput.first().waitFor({ timeout: bound() });
      await renameInput.first().fill("Shop.Products");
      await page.keyboard.press("Enter");
      const moved = join(workspace, "docs/design/shop/products.md");
      await until("the renamed design file on disk", () => existsSync(moved)).catch(() => undefined);
      await palette("File: Save All Files");
      await until("the renamed design's heading on disk", () => existsSync(moved) && readFileSync(moved, "utf8").includes("### Shop.Products")).catch(() => undefined);
      check(existsSync(moved) && !existsSync(join(workspace, "docs/design/shop/catalog.md")), "rename of Shop.Catalog to Shop.Products from VS Code moves the design file");
      check(existsSync(moved) && readFileSync(moved, "utf8").includes("### Shop.Products"), "the renamed design names Shop.Products");
      await palette("CodeMySpec: Show Architecture");
      await view.locator("#graph svg", { hasText: "Shop.Products" }).first().waitFor({ timeout: bound() });
      check(true, "the architecture view shows the renamed context");
      }
    } else {
      log("skipped the architecture view: this server has no `codemyspec graph` yet");
    }

    // 12. Choose Agent: the presets, installed ones first with their version; the choice goes to
    //     config.toml and the status bar tooltip names it. Starting a session with an agent that
    //     is not installed warns first; continuing fails the session with the server's reason.
    if (cliOffers(["agents", "--workspace", workspace, "--format", "json"])) {
      await clearToasts();
      await palette("CodeMySpec: Choose Agent");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "not found on PATH" }).first().waitFor({ timeout: bound() });
      const agentRows = await page.locator(".quick-input-list .monaco-list-row").allInnerTexts();
      writeFileSync(join(ARTIFACTS, "vscode-choose-agent.txt"), agentRows.join("\n---\n"));
      check(agentRows.some((row) => /gemini/.test(row) && /not found/.test(row)), "Choose Agent lists the presets, saying which are not installed");
      await page.locator(".quick-input-widget input").fill("gemini");
      // Enter picks the first row once the list is filtered down to gemini.
      await page.locator(".quick-input-list .monaco-list-row").first().filter({ hasText: "gemini" }).waitFor({ timeout: bound() });
      await page.keyboard.press("Enter");
      await toast("the agent is now gemini").first().waitFor({ timeout: bound() });
      const config = readFileSync(join(workspace, ".codemyspec/config.toml"), "utf8");
      check(/^preset = "gemini"$/m.test(config) && /^# command = /m.test(config), "Choose Agent writes the preset to config.toml (the custom command commented out)");
      // The tooltip follows config.toml once the server has reloaded it: hover until it says so.
      const statusItem = page.locator(".statusbar-item", { hasText: "CodeMySpec" }).first();
      const hover = page.locator(".monaco-hover, .statusbar-item-hover, .hover-contents", { hasText: "Agent:" }).first();
      let hoverText = "";
      await until("the status bar tooltip naming gemini", async () => {
        await page.mouse.move(800, 300);
        await hover.waitFor({ state: "hidden", timeout: bound() });
        await statusItem.hover();
        await hover.waitFor({ timeout: bound() });
        hoverText = await hover.innerText();
        return /Agent: gemini/.test(hoverText);
      }).catch(() => undefined);
      writeFileSync(join(ARTIFACTS, "vscode-status-tooltip.txt"), hoverText);
      check(/Agent: gemini/.test(hoverText) && /Store: /.test(hoverText), "the status bar tooltip names the selected agent and the store");
      await page.mouse.move(800, 300);
      await clearToasts();
      await settings({ "codemyspec.server.pythonPath": PYTHON, "codemyspec.executionMode": "auto" }, "codemyspec.executionMode");
      await palette("CodeMySpec: Start Context Design Session");
      await asked(CONTEXT_PROMPT);
      await answer("Shipping");
      await asked(DESCRIPTION_PROMPT);
      await answer("");
      await dialog.waitFor({ timeout: bound() });
      const warning = await dialog.innerText();
      writeFileSync(join(ARTIFACTS, "vscode-agent-missing.txt"), warning);
      check(/gemini/.test(warning) && /not installed/.test(warning), "starting with an agent that is not installed warns first");
      await dialog.locator(".monaco-button", { hasText: "Continue Anyway" }).click();
      await statusShows("CodeMySpec: Shipping");
      await palette("CodeMySpec: Run Session to the End");
      const failed = toast("session failed:");
      await failed.first().waitFor({ timeout: bound(3 * PATIENCE) });
      const failedSession = await failed.first().innerText();
      writeFileSync(join(ARTIFACTS, "vscode-session-failed.txt"), failedSession);
      check(/gemini/.test(failedSession), "a failed session says the server's reason (the agent is not installed)");
      await screenshot(page, "vscode-session-failed.png");
    } else {
      log("skipped Choose Agent: this server has no `codemyspec agents` yet");
    }

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
