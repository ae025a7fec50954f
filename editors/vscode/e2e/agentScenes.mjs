// Scenes of the agent: its one terminal per session (kept or closed by
// codemyspec.agentTerminal), and Choose Agent with an agent that is not installed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ARTIFACTS,
  bound,
  check,
  cliOffers,
  CONTEXT_PROMPT,
  DESCRIPTION_PROMPT,
  log,
  PATIENCE,
  PYTHON,
  screenshot,
  until,
} from "./harness.mjs";

/** 6 and 6b. One agent terminal per session, kept or closed by the setting. */
export async function oneTerminalPerSession({ page, palette, toast, clearToasts, nextStep, startSession, settings, closePanel, terminalText, agentTerminals }) {
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
}

/** 12. Choose Agent, and a session whose agent is not installed. */
export async function chooseAgent({ page, palette, answer, asked, statusShows, toast, clearToasts, settings, dialog, workspace }) {
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
}
