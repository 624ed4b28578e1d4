// The extension's log: a LogOutputChannel ("dlnb" in the Output view) behind a small
// facade, created first in `activate` so every later failure has somewhere to go.
import * as vscode from 'vscode';
import { describeError } from './format';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  /** Logs the message and, when given, the error's stack. */
  error(message: string, err?: unknown): void;
  show(): void;
}

export function createLog(): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('dlnb', { log: true });
  return {
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message, err) => {
      if (err === undefined) channel.error(message);
      else if (err instanceof Error) channel.error(`${message}: ${err.stack ?? describeError(err)}`);
      else channel.error(`${message}: ${describeError(err)}`);
    },
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
