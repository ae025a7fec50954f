// Which session the palette commands act on, and the latest known state of each session,
// fed by command answers and by `codemyspec/sessionChanged` notifications.
import type { ResultStatus, Session } from "./protocol";

/** The step the current session is running, or last ran and how that went. */
export interface StepState {
  name: string;
  phase: "running" | ResultStatus;
}

export type TrackerListener = (current: Session | undefined, step: StepState | undefined) => void;

export class SessionTracker {
  private readonly known = new Map<string, Session>();
  private currentId: string | undefined;
  private step: StepState | undefined;
  private readonly listeners: TrackerListener[] = [];

  onChange(listener: TrackerListener): void {
    this.listeners.push(listener);
  }

  get current(): Session | undefined {
    return this.currentId === undefined ? undefined : this.known.get(this.currentId);
  }

  get currentStep(): StepState | undefined {
    return this.step;
  }

  get(sessionId: string): Session | undefined {
    return this.known.get(sessionId);
  }

  /** A fresher view of a session (its interactions are dropped: notifications carry none). */
  update(session: Session, options: { makeCurrent?: boolean } = {}): void {
    const { interactions: _dropped, ...summary } = session;
    const previous = this.known.get(session.id);
    // Notifications may arrive after a command's answer: never go back in time.
    if (previous !== undefined && previous.updatedAt > summary.updatedAt) return;
    this.known.set(session.id, summary);
    const adopt =
      options.makeCurrent === true ||
      (this.current === undefined || this.current.status !== "active") && summary.status === "active";
    if (adopt && this.currentId !== session.id) {
      this.currentId = session.id;
      this.step = undefined;
    }
    this.notify();
  }

  setStep(sessionId: string, step: StepState | undefined): void {
    if (sessionId !== this.currentId) return;
    this.step = step;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.current, this.step);
  }
}
