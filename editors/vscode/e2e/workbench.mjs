// Driving the workbench as a person would: the command palette, input boxes, notifications,
// the status bar, settings and terminals. Every wait is for what the person would see, bounded
// by the run's measured patience (harness.mjs).
import {
  bound,
  check,
  CONTEXT_PROMPT,
  DESCRIPTION_PROMPT,
  log,
  occurrences,
  outputSays,
  writeWorkspaceSettings,
} from "./harness.mjs";

/** The helpers for one page of code-server showing `workspace` (user data in `userData`). */
export function workbench(page, { workspace, userData }) {
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
  /** A modal dialog (confirmations, questions). */
  const dialog = page.locator(".monaco-dialog-box");
  return { page, palette, answer, asked, statusShows, toast, anyToast, clearToasts, absent, nextStep, startSession, pickRow, settings, closePanel, terminalText, agentTerminals, dialog };
}
