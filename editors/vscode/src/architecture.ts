// "CodeMySpec: Show Architecture": a webview that draws the context graph with Mermaid
// (bundled with the extension, no network), under a strict content security policy. Contexts
// are coloured by whether their design has errors, cycles are red, a click on a context
// opens its design, and the picture refreshes when designs change.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { missingCommandMessage, type CompanionApi } from "./companion";
import { CompanionCommand } from "./constants";
import { graphToMermaid, type DrawnGraph } from "./graphMermaid";
import { errorText } from "./serverApi";

export const ARCHITECTURE_VIEW = "codemyspec.architecture";

type FromWebview = { type: "open"; node: string } | { type: "ready" };

export class ArchitecturePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private drawn: DrawnGraph | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly companion: () => Promise<CompanionApi>,
    private readonly output: vscode.OutputChannel,
  ) {
    const designs = vscode.workspace.createFileSystemWatcher("**/*.md");
    this.disposables.push(
      designs,
      designs.onDidChange(() => this.refreshSoon()),
      designs.onDidCreate(() => this.refreshSoon()),
      designs.onDidDelete(() => this.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.languageId === "markdown" && event.contentChanges.length > 0) this.refreshSoon();
      }),
    );
  }

  async show(): Promise<void> {
    if (this.panel !== undefined) {
      this.panel.reveal();
      await this.refresh();
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, "dist");
    const panel = vscode.window.createWebviewPanel(ARCHITECTURE_VIEW, "CodeMySpec: Architecture", vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: true,
    });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "images", "icon.png");
    panel.webview.html = this.html(panel.webview, media);
    panel.onDidDispose(() => {
      this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((message: FromWebview) => {
      if (message.type === "ready") void this.refresh();
      else if (message.type === "open") void this.open(message.node);
    });
  }

  /** Called when the server restarted or a session changed. */
  refreshSoon(): void {
    if (this.panel === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 700);
  }

  private async refresh(): Promise<void> {
    const panel = this.panel;
    if (panel === undefined) return;
    const folder = vscode.workspace.workspaceFolders?.[0];
    try {
      const graph = await (await this.companion()).getGraph(folder?.uri.toString());
      if (graph === undefined) {
        await panel.webview.postMessage({ type: "error", message: missingCommandMessage(CompanionCommand.getGraph, "Show Architecture") });
        return;
      }
      this.drawn = graphToMermaid(graph);
      await panel.webview.postMessage({ type: "graph", text: this.drawn.text, summary: this.drawn.summary, nodes: this.drawn.nodes });
    } catch (error) {
      this.output.appendLine(`Show Architecture: ${errorText(error)}`);
      await panel.webview.postMessage({ type: "error", message: `CodeMySpec: the graph could not be read: ${errorText(error)}` });
    }
  }

  private async open(node: string): Promise<void> {
    const target = this.drawn?.nodes[node];
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (target === undefined || folder === undefined) return;
    if (target.designFile === null) {
      void vscode.window.showInformationMessage(`CodeMySpec: ${target.module} has no design yet. Start a design session for it to write one.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, target.designFile));
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString("base64");
    const script = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(media, name)).toString();
    // Mermaid writes its styles into the SVG it makes: styles may be inline, scripts may not.
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CodeMySpec: Architecture</title>
<style>
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px; }
  #summary { margin: 12px 0; }
  #legend span { display: inline-block; margin-right: 16px; }
  #legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; border: 1px solid; }
  #graph svg { max-width: 100%; height: auto; }
  #graph .node { cursor: pointer; }
  #error { color: var(--vscode-errorForeground); white-space: pre-wrap; }
</style>
</head>
<body>
<h2>Architecture</h2>
<div id="legend"><span><i style="background:#e3f2e6;border-color:#2e7d32"></i>valid design</span><span><i style="background:#fde7e7;border-color:#c62828"></i>design with errors</span><span><i style="background:#f4f4f4;border-color:#888;border-style:dashed"></i>not designed yet</span><span><i style="background:#d32f2f;border-color:#d32f2f;height:3px"></i>dependency on a cycle</span></div>
<div id="summary">Reading the graph…</div>
<div id="error"></div>
<div id="graph"></div>
<script nonce="${nonce}" src="${script("mermaid.min.js")}"></script>
<script nonce="${nonce}" src="${script("architecture.js")}"></script>
</body>
</html>`;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
