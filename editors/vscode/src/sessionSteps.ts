// "Run Next Step" and "Run Session to the End": runs a session's commands through the
// CommandRunner inside a cancellable progress notification, one run at a time, keeps the
// status bar on the running step, and has the outcome said (outcomeNotices.ts).
import * as vscode from "vscode";
import { DESIGN_WRITING_STEPS, VALIDATE_STEP } from "./constants";
import { designFileOf, showFile } from "./designFiles";
import { waitForBufferToMatchDisk } from "./documentSync";
import type { OutcomeNotices, Reported } from "./outcomeNotices";
import type { CommandStep, ResultInput, Session } from "./protocol";
import { UNTRUSTED_MESSAGE, type CommandRunner } from "./runner";
import type { SessionApi } from "./serverApi";
import { runSession } from "./sessionLoop";
import { pickSession } from "./sessionsMenu";
import type { SessionTracker } from "./sessionTracker";

export class SessionSteps {
  private running: AbortController | undefined;

  constructor(
    private readonly api: () => Promise<SessionApi>,
    private readonly runner: CommandRunner,
    private readonly tracker: SessionTracker,
    private readonly notices: OutcomeNotices,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** Stops the running step (its agent is killed and the step reported as an error). */
  abort(): void {
    this.running?.abort();
  }

  /** Runs up to `maxSteps` commands of the given, the current or a picked active session. */
  async run(maxSteps: number, chosen?: Session): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
      return;
    }
    if (this.running !== undefined) {
      void vscode.window.showWarningMessage("CodeMySpec: a session step is already running.");
      return;
    }
    const api = await this.api();
    const session = chosen ?? (await pickSession(api, this.tracker.current, "active"));
    if (session === undefined) return;
    if (session.status !== "active") {
      this.notices.ended(await api.getSession(session.id));
      return;
    }
    this.tracker.update(session, { makeCurrent: true });
    const abort = new AbortController();
    this.running = abort;
    let settled = this.tracker.currentStep;
    let last: Reported | undefined;
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `CodeMySpec: ${session.context.name}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          return runSession(api, this.runner, session.id, {
            maxSteps,
            signal: abort.signal,
            hooks: {
              stepStarted: (step) => {
                settled = this.tracker.currentStep;
                progress.report({ message: `${step.step}: ${step.command.description}` });
                this.tracker.setStep(session.id, { name: step.step, phase: "running" });
                this.output.appendLine(`[${session.context.name}] ${step.step}: ${step.command.description}`);
              },
              beforeReport: (step) => this.beforeReport(step),
              stepReported: async (step, result, answer) => {
                last = { step, session: answer, status: await this.stepReported(step, result, answer) };
              },
            },
          });
        },
      );
      // Declined or refused: nothing ran, so the status bar goes back to the last real step.
      if (outcome.kind === "stopped" && outcome.reason !== "cancelled") this.tracker.setStep(session.id, settled);
      await this.notices.announce(api, session, outcome, last);
    } finally {
      this.running = undefined;
    }
  }

  private async beforeReport(step: CommandStep): Promise<void> {
    if (step.step !== VALIDATE_STEP) return;
    const designFile = designFileOf(step);
    if (designFile !== undefined && !(await waitForBufferToMatchDisk(designFile))) {
      this.output.appendLine(`The open buffer of ${designFile} still differs from the disk; validating the buffer.`);
    }
  }

  private async stepReported(step: CommandStep, result: ResultInput, session: Session): Promise<ResultInput["status"]> {
    const stored = session.interactions?.find((interaction) => interaction.id === step.interactionId)?.result;
    const shown = stored ?? result;
    this.output.appendLine(
      `[${session.context.name}] ${step.step} -> ${shown.status}${shown.errorMessage ? `\n${shown.errorMessage}` : ""}`,
    );
    // Show the design the agent wrote, and keep it in view while it is validated and revised.
    const designFile = designFileOf(step);
    if (designFile !== undefined && DESIGN_WRITING_STEPS.includes(step.step) && result.status !== "error") {
      await showFile(this.output, vscode.Uri.file(designFile));
    }
    this.tracker.update(session);
    this.tracker.setStep(session.id, { name: step.step, phase: shown.status });
    return shown.status;
  }
}
