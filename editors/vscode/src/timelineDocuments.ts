// A session's timeline as a read-only Markdown document (codemyspec-timeline: scheme), kept
// fresh by the server's session notifications.
import * as vscode from "vscode";
import { TIMELINE_SCHEME } from "./constants";
import { renderTimeline } from "./present";
import type { Session } from "./protocol";
import { errorText, type SessionApi } from "./serverApi";

export class TimelineDocuments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly provider: vscode.Disposable;

  constructor(private readonly api: () => Promise<SessionApi>) {
    this.provider = vscode.workspace.registerTextDocumentContentProvider(TIMELINE_SCHEME, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.text(uri),
    });
  }

  /** A session changed: its open timeline documents are read again. */
  sessionChanged(session: Session): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === TIMELINE_SCHEME && document.uri.query === session.id) {
        this.changed.fire(document.uri);
      }
    }
  }

  async open(session: Session): Promise<void> {
    const document = await vscode.workspace.openTextDocument(timelineUri(session));
    await vscode.window.showTextDocument(document, { preview: true });
  }

  private async text(uri: vscode.Uri): Promise<string> {
    try {
      return renderTimeline(await (await this.api()).getSession(uri.query));
    } catch (error) {
      return `# Session ${uri.query}\n\nCould not read the session: ${errorText(error)}\n`;
    }
  }

  dispose(): void {
    this.provider.dispose();
    this.changed.dispose();
  }
}

export function timelineUri(session: Session): vscode.Uri {
  const name = `${session.context.name}-${session.id.slice(0, 8)}.md`.replace(/[^\w.-]/g, "_");
  return vscode.Uri.from({ scheme: TIMELINE_SCHEME, path: `/${name}`, query: session.id });
}
