// Scenes of a design session driven from the palette: the context name checked as typed,
// step by step to a failed validation, the Outline, the rest of the session, Show Sessions,
// manual mode and the cancel modal.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ABSENCE,
  ARTIFACTS,
  bound,
  check,
  CONTEXT_PROMPT,
  DESCRIPTION_PROMPT,
  latency,
  PATIENCE,
  PYTHON,
  screenshot,
  timed,
} from "./harness.mjs";

/** 2. The context input box checks the name as it is typed. */
export async function contextInput({ page, palette, answer, asked, statusShows, clearToasts, absent }) {
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
}

/** 3. Step by step to a failed validation and its Problems. */
export async function stepByStep({ page, toast, nextStep }) {
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
}

/** 4. One Outline for the design. */
export async function oneOutline({ page, palette }) {
  // 4. One Outline for the design: no second tree beside the built-in Markdown one. The
  //    Outline renders once every symbol provider has answered, so one look suffices.
  await palette("Explorer: Focus on Outline View");
  const outlineRows = page.locator(".monaco-list-row", { has: page.locator(".outline-element", { hasText: "Purpose" }) });
  await outlineRows.first().waitFor({ timeout: bound() });
  const outlineText = await page.locator(".pane", { has: page.locator(".outline-element") }).first().innerText();
  writeFileSync(join(ARTIFACTS, "vscode-outline.txt"), outlineText);
  const sections = outlineText.split("\n").filter((line) => line.replace(/^#+\s*/, "").trim() === "Purpose").length;
  check(sections === 1, `the Outline shows the design once (the "Purpose" section ${sections} time(s))`);
}

/** 5. The rest of the session. */
export async function toTheEnd({ page, palette, statusShows, toast, clearToasts, absent }) {
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
}

/** 7. Show Sessions opens a session's design and timeline. */
export async function showSessions({ page, palette, pickRow }) {
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
}

/** 8. Manual mode asks first; declining runs nothing. */
export async function manualMode({ page, palette, answer, asked, toast, nextStep, startSession, settings, dialog, workspace }) {
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
}

/** 9. The cancel modal's buttons. */
export async function cancelModal({ palette, dialog }) {
  // 9. The cancel modal's buttons cannot be mixed up: "Cancel Session" and "Keep Session".
  await palette("CodeMySpec: Cancel Session");
  await dialog.waitFor({ timeout: bound() });
  const buttons = (await dialog.locator(".monaco-button").allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  writeFileSync(join(ARTIFACTS, "vscode-cancel-buttons.txt"), buttons.join("\n"));
  check(buttons.includes("Cancel Session") && buttons.includes("Keep Session") && !buttons.includes("Cancel"), `the cancel modal offers "Cancel Session" and "Keep Session" (${buttons.join(", ")})`);
  await dialog.locator(".monaco-button", { hasText: "Keep Session" }).click();
  await dialog.waitFor({ state: "detached", timeout: bound() });
}
