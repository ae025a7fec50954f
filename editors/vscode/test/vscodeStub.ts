// A stand-in for the `vscode` module (only the editor provides the real one), with just what
// the modules under test touch. Tests read and drive its state through `stub`.
type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export interface StubPty {
  onDidWrite: (listener: Listener<string>) => unknown;
  open(dimensions: unknown): void;
  close(): void;
  handleInput?(data: string): void;
}

export interface StubTerminal {
  name: string;
  pty: StubPty;
  shown: boolean;
  disposed: boolean;
  show(preserveFocus?: boolean): void;
  dispose(): void;
}

export const stub = {
  trusted: true,
  settings: {} as Record<string, unknown>,
  terminals: [] as StubTerminal[],
  /** Answer of the next modal information message (undefined: the person dismissed it). */
  messageAnswer: undefined as string | undefined,
  messages: [] as { text: string; options: unknown; items: string[] }[],
  reset(): void {
    this.trusted = true;
    this.settings = {};
    this.terminals = [];
    this.messageAnswer = undefined;
    this.messages = [];
  },
};

export const workspace = {
  get isTrusted(): boolean {
    return stub.trusted;
  },
  getConfiguration: (section: string) => ({
    get: <T>(key: string, fallback?: T): T | undefined =>
      (stub.settings[`${section}.${key}`] as T | undefined) ?? fallback,
  }),
  textDocuments: [] as unknown[],
};

export const window = {
  createTerminal(options: { name: string; pty: StubPty }): StubTerminal {
    const terminal: StubTerminal = {
      name: options.name,
      pty: options.pty,
      shown: false,
      disposed: false,
      show() {
        terminal.shown = true;
      },
      dispose() {
        terminal.disposed = true;
      },
    };
    stub.terminals.push(terminal);
    return terminal;
  },
  async showInformationMessage(text: string, options?: unknown, ...items: string[]): Promise<string | undefined> {
    stub.messages.push({ text, options, items });
    return stub.messageAnswer;
  },
};
