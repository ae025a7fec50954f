// The end-to-end test's harness: paths, checks, the measured patience every wait is bounded
// by, code-server's start, the workspace and user data, the extension's output channel.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = resolve(HERE, "..");
export const REPO = resolve(EXTENSION_DIR, "../..");
export const PYTHON = join(REPO, ".venv/bin/python");
export const CODEMYSPEC = join(REPO, ".venv/bin/codemyspec");
export const VSIX = join(EXTENSION_DIR, "dist/codemyspec.vsix");
export const DEMO = join(REPO, "server/codemyspec_lsp/demo/workspace");
export const ARTIFACTS = join(REPO, "tests/artifacts");
export const IMAGES = join(EXTENSION_DIR, "images");
export const DESIGN = "docs/design/shop/orders.md";
/** docs/images/ holds the committed screenshots: rewritten only when asked. */
export const UPDATE_IMAGES = process.env.CODEMYSPEC_UPDATE_SCREENSHOTS === "1";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run scripts/setup-e2e.sh (scripts/test.sh does)`);
  return value;
};
export const CODE_SERVER = env("E2E_CODE_SERVER");
export const NODE_BIN_DIR = env("E2E_NODE_BIN_DIR");
export const CHROMIUM = env("E2E_CHROMIUM");

export const log = (message) => console.log(`[e2e] ${message}`);
export const checks = { passed: 0, failed: 0 };

// Every wait is for a condition (an element, a toast, a file's content, a log line). Its bound
// is never a constant: it comes from durations measured in this run, so a loaded machine gets
// proportionally more time. `bound()` is PATIENCE times the slowest reference measured so far
// (installing the extension, code-server listening, the workbench loading, the server starting,
// a palette round trip, a session step). A check that something does NOT happen waits for it
// ABSENCE times the measured latency of the event it would come with.
export const PATIENCE = 8;
export const ABSENCE = 3;
const measured = new Map();
export function note(name, ms) {
  measured.set(name, Math.max(1, Math.round(ms)));
  log(`measured ${name}: ${measured.get(name)} ms`);
}
export function bound(times = PATIENCE) {
  return Math.round(times * Math.max(...measured.values()));
}
export function latency(name) {
  const ms = measured.get(name);
  if (ms === undefined) throw new Error(`nothing measured as ${name}`);
  return ms;
}
/** Runs `action`, notes how long it took as `name`, returns its result. */
export async function timed(name, action) {
  const at = Date.now();
  const result = await action();
  note(name, Date.now() - at);
  return result;
}
/** Waits until `condition()` is truthy (a file's content, a log line), at most `ms`. */
export async function until(what, condition, ms = bound()) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolvePoll) => setTimeout(resolvePoll, POLL_MS));
  }
}
/** How often `until` looks again: a polling cadence, never a reason to pass or fail. */
export const POLL_MS = 50;

export function check(condition, what) {
  if (!condition) {
    checks.failed += 1;
    throw new Error(`check failed: ${what}`);
  }
  checks.passed += 1;
  log(`ok: ${what}`);
}

export function freePort() {
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
export function listening(child, output, timeoutMs) {
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
export const WALKTHROUGH_TITLE = WALKTHROUGH.title;
export const WALKTHROUGH_STEPS = WALKTHROUGH.steps.map((step) => {
  const link = step.description.match(/\[([^\]]+)\]\(command:([\w.]+)/);
  return { title: step.title, link: link?.[1], command: link?.[2] };
});
export const PALETTE_START = "codemyspec.startSession";
/** The prompt of the context input box (sessionStart.ts). */
export const CONTEXT_PROMPT = "The bounded context to design";
/** The prompt of the description input box that follows it. */
export const DESCRIPTION_PROMPT = "What the context is for";

/** A Python without the server installed: the first start must fail and say why. */
export const BARE_PYTHON = "/usr/bin/python3";

export function writeWorkspaceSettings(workspace, settings) {
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  writeFileSync(join(workspace, ".vscode/settings.json"), JSON.stringify(settings, null, 2));
}

/** A fresh copy of the demo workspace, pointing at an interpreter without the server. */
export function prepareWorkspace(root) {
  const workspace = join(root, "shop");
  cpSync(DEMO, workspace, { recursive: true });
  rmSync(join(workspace, ".codemyspec/sessions.json"), { force: true });
  writeWorkspaceSettings(workspace, { "codemyspec.server.pythonPath": BARE_PYTHON, "codemyspec.executionMode": "auto" });
  return workspace;
}

/** Whether the installed server's CLI has this subcommand (features land server-side first). */
export function cliOffers(args) {
  try {
    execFileSync(CODEMYSPEC, args, { stdio: "ignore" });
    return true;
  } catch (error) {
    return error.status === 0 || error.status === 1; // graph exits 1 on a cycle
  }
}

/** Whether the installed server has this module (for features that land server-side first). */
export function pythonHas(module) {
  try {
    execFileSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The extension's output channel as written so far (the exthost's output log). */
export function outputLog(userData) {
  const files = execFileSync("find", [userData, "-name", "*CodeMySpec*.log"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  return files.map((file) => readFileSync(file, "utf8")).join("\n");
}

/** Waits until the output channel has one more line matching `pattern` than `before` counted. */
export async function outputSays(userData, pattern, before, what) {
  return until(what, () => (outputLog(userData).match(new RegExp(pattern.source, "g")) ?? []).length > before);
}

export function occurrences(userData, pattern) {
  return (outputLog(userData).match(new RegExp(pattern.source, "g")) ?? []).length;
}

export function prepareUserData(root) {
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

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, name) });
  if (UPDATE_IMAGES) {
    mkdirSync(IMAGES, { recursive: true });
    cpSync(join(ARTIFACTS, name), join(IMAGES, name));
  }
}

export const nodeEnv = { ...process.env, PATH: `${NODE_BIN_DIR}:${process.env.PATH}` };
