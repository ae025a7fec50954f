// What the person is told when a run of session steps ends: the session's end once (complete,
// failed with its reason, cancelled), a failed validation with its error count beside the
// Problems view, or the step's outcome; each with the next step to take.
import * as vscode from "vscode";
import type { SessionTerminals } from "./agentTerminal";
import { PaletteCommand, VALIDATE_STEP } from "./constants";
import { designFileOf, showFile } from "./designFiles";
import { failureReason, validationErrorCount } from "./present";
import type { CommandStep, ResultInput, Session } from "./protocol";
import type { SessionApi } from "./serverApi";
import type { LoopOutcome } from "./sessionLoop";
import type { SessionTracker } from "./sessionTracker";
import type { TimelineDocuments } from "./timelineDocuments";
import { keepAgentTerminal } from "./vscodeHost";

/** The last step a run reported, with the session as the server answered it. */
export interface Reported {
  step: CommandStep;
  session: Session;
  status: ResultInput["status"];
}

const NEXT_STEP = "Run Next Step";
const TO_END = "Run to the End";

/** Runs the palette command the person picked from a notification's buttons. */
export function follow(choice: string | undefined): void {
  if (choice === NEXT_STEP) void vscode.commands.executeCommand(PaletteCommand.nextStep);
  if (choice === TO_END) void vscode.commands.executeCommand(PaletteCommand.runToEnd);
}

export class OutcomeNotices {
  constructor(
    private readonly tracker: SessionTracker,
    private readonly terminals: SessionTerminals,
    private readonly timeline: TimelineDocuments,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** A new session: where its design goes, and how to go on. */
  started(session: Session): void {
    void vscode.window
      .showInformationMessage(
        `CodeMySpec: session started for ${session.context.name} (${session.context.designFile}).`,
        NEXT_STEP,
        TO_END,
      )
      .then(follow);
  }

  /** Says how the run ended: the session's end once, or the step's outcome and what is next. */
  async announce(api: SessionApi, session: Session, outcome: LoopOutcome, last: Reported | undefined): Promise<void> {
    const name = session.context.name;
    switch (outcome.kind) {
      case "done":
        this.ended(await api.getSession(session.id));
        return;
      case "stopped":
        if (outcome.reason === "untrusted") void vscode.window.showWarningMessage(outcome.message);
        else void vscode.window.showInformationMessage(`CodeMySpec: ${outcome.message}`);
        return;
      case "paused":
        if (last === undefined) return;
        if (last.step.step === VALIDATE_STEP && last.status === "error") {
          await this.failedValidation(last);
          return;
        }
        void vscode.window
          .showInformationMessage(`CodeMySpec: ${name} · ${last.step.step}: ${last.status}.`, NEXT_STEP, TO_END)
          .then(follow);
        return;
    }
  }

  /** A failed validation: how many errors, the design beside its Problems, the next step. */
  private async failedValidation(last: Reported): Promise<void> {
    const count = validationErrorCount(last.session, last.step.interactionId);
    const designFile = designFileOf(last.step);
    if (designFile !== undefined) await showFile(this.output, vscode.Uri.file(designFile), false);
    await vscode.commands.executeCommand("workbench.actions.view.problems").then(undefined, () => undefined);
    const what = count === 1 ? "1 error" : `${count} errors`;
    const choice = await vscode.window.showWarningMessage(
      `CodeMySpec: the ${last.session.context.name} design failed validation with ${what} (listed in the Problems view). Next: the agent revises it.`,
      NEXT_STEP,
      TO_END,
    );
    follow(choice);
  }

  /** A finished session, said once: complete, failed with its reason, or cancelled. Its agent
   * terminal closes here when codemyspec.agentTerminal says so. */
  ended(session: Session): void {
    const name = session.context.name;
    if (!keepAgentTerminal()) this.terminals.close(session.id);
    this.tracker.update(session);
    if (session.status === "complete") {
      void vscode.window.showInformationMessage(`CodeMySpec: the ${name} session is complete (${session.context.designFile}).`);
    } else if (session.status === "failed") {
      const reason = failureReason(session) ?? "the server gave no reason; its timeline shows each step";
      void vscode.window
        .showErrorMessage(`CodeMySpec: the ${name} session failed: ${reason}`, "Show Timeline")
        .then((choice) => (choice ? this.timeline.open(session) : undefined));
    } else if (session.status === "cancelled") {
      void vscode.window.showWarningMessage(`CodeMySpec: the ${name} session was cancelled.`);
    }
  }
}
