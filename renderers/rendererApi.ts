// The few types of VS Code's notebook renderer API (`vscode-notebook-renderer`) this
// renderer uses, written here rather than adding a types package for five interfaces.

export interface OutputItem {
  /** Stable per output: a re-render of the same output comes with the same id. */
  readonly id: string;
  readonly mime: string;
  readonly metadata: unknown;
  text(): string;
  json(): unknown;
  data(): Uint8Array;
}

export interface RendererContext<TState = unknown> {
  /** Present when the renderer declares `requiresMessaging`. */
  postMessage?(message: unknown): void;
  getState?(): TState | undefined;
  setState?(value: TState): void;
  readonly workspace?: { readonly isTrusted: boolean };
}

export interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction<TState = unknown> = (context: RendererContext<TState>) => RendererApi | Promise<RendererApi>;
