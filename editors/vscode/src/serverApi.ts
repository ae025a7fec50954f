// Typed calls of the server's session commands, through workspace/executeCommand with the
// params object as the single argument (protocol.md, "Commands").
import { ServerCommand } from "./constants";
import type {
  ListSessionsParams,
  NextStep,
  ResultInput,
  Session,
  StartSessionParams,
} from "./protocol";

/** What the extension needs from the language client: one request method. */
export interface RequestSender {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

export interface SessionApi {
  startSession(params: StartSessionParams): Promise<Session>;
  nextStep(sessionId: string): Promise<NextStep>;
  reportResult(sessionId: string, interactionId: string, result: ResultInput): Promise<Session>;
  getSession(sessionId: string): Promise<Session>;
  listSessions(params?: ListSessionsParams): Promise<Session[]>;
  cancelSession(sessionId: string): Promise<Session>;
}

export function sessionApi(sender: RequestSender): SessionApi {
  const call = <R>(command: string, params: object): Promise<R> =>
    sender.sendRequest<R>("workspace/executeCommand", { command, arguments: [params] });
  return {
    startSession: (params) => call<Session>(ServerCommand.startSession, params),
    nextStep: (sessionId) => call<NextStep>(ServerCommand.nextStep, { sessionId }),
    reportResult: (sessionId, interactionId, result) =>
      call<Session>(ServerCommand.reportResult, { sessionId, interactionId, result }),
    getSession: (sessionId) => call<Session>(ServerCommand.getSession, { sessionId }),
    listSessions: async (params = {}) =>
      (await call<{ sessions: Session[] }>(ServerCommand.listSessions, params)).sessions,
    cancelSession: (sessionId) => call<Session>(ServerCommand.cancelSession, { sessionId }),
  };
}

/** The message of a JSON-RPC error (ResponseError) or any other thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
