// Which notebook a command means. VS Code passes different things depending on where the
// command was invoked: a notebook toolbar passes `{ notebookEditor: { notebookUri } }`,
// other callers pass a Uri, the palette passes nothing (the active notebook). Pure.

interface UriLike {
  scheme: string;
  toString(): string;
}

function isUriLike(value: unknown): value is UriLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { scheme?: unknown }).scheme === 'string' &&
    typeof (value as { fsPath?: unknown }).fsPath === 'string'
  );
}

/** The notebook URI named by a command argument, or undefined to mean the active notebook. */
export function notebookUriFromArg<U extends UriLike>(arg: unknown): U | undefined {
  if (isUriLike(arg)) return arg as U;
  if (typeof arg === 'object' && arg !== null) {
    const editor = (arg as { notebookEditor?: { notebookUri?: unknown } }).notebookEditor;
    if (isUriLike(editor?.notebookUri)) return editor.notebookUri as U;
    const notebook = (arg as { notebook?: { uri?: unknown } }).notebook;
    if (isUriLike(notebook?.uri)) return notebook.uri as U;
  }
  return undefined;
}
