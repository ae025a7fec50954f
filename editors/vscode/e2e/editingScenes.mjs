// Scenes of editing designs: Fix All, the architecture view and rename.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ARTIFACTS,
  bound,
  check,
  cliOffers,
  CODEMYSPEC,
  log,
  pythonHas,
  screenshot,
  until,
} from "./harness.mjs";

/** 10b. Fix All never makes an error vanish with words that say nothing. */
export async function fixAll({ page, palette, workspace }) {
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
}

/** 11. Show Architecture, a click on a context, rename. */
export async function architecture({ page, palette, answer, closePanel, workspace }) {
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
}
