// The messages between the extension host (or a benchmark) and the language worker, which
// runs TypeScript's language service over each open notebook (src/language). Positions
// are offsets into a cell's source; declaration files carry line and character.

/** A code cell as the worker sees it. `source` is left out when it has not changed since the last update. */
export interface CellUpdate {
  id: string;
  /** 1-based position among all the notebook's cells. */
  index: number;
  source?: string;
}

export interface CellRange {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface CellProblem {
  cellId: string;
  /** 1-based position among all cells, as in "cell N". */
  cellIndex: number;
  range: CellRange;
  message: string;
  severity: Severity;
  /** TypeScript's error code (TS2339...). */
  code: number;
}

export interface CompletionEntry {
  name: string;
  /** TypeScript's ScriptElementKind: 'method', 'property', 'function', 'const'... */
  kind: string;
  kindModifiers?: string;
  sortText: string;
  insertText?: string;
  replacement?: CellRange;
  source?: string;
  /** TypeScript's data for the details request; passed back as it came. */
  data?: unknown;
}

export interface CompletionList {
  entries: CompletionEntry[];
  isMemberCompletion: boolean;
}

/** What a hover or a completion's details show: a TypeScript signature and its doc comment. */
export interface SymbolDocs {
  display: string;
  documentation: string;
  tags: Array<{ name: string; text: string }>;
}

export interface HoverResult extends SymbolDocs {
  range: CellRange;
}

export interface SignatureInfo {
  label: string;
  documentation: string;
  /** Each parameter as [start, end) in `label`, with its doc comment. */
  parameters: Array<{ range: [number, number]; documentation: string }>;
}

export interface SignatureHelpResult {
  signatures: SignatureInfo[];
  activeSignature: number;
  activeParameter: number;
}

export interface LinePosition {
  line: number;
  character: number;
}

export type DefinitionTarget =
  | { kind: 'cell'; cellId: string; range: CellRange }
  /** A declaration file: bundled (`virtual`, read through the worker) or on disk. */
  | { kind: 'file'; path: string; virtual: boolean; start: LinePosition; end: LinePosition };

export type LanguageQuery =
  | { op: 'completions'; cellId: string; offset: number; triggerCharacter?: string }
  | { op: 'completionDetails'; cellId: string; offset: number; name: string; source?: string; data?: unknown }
  | { op: 'hover'; cellId: string; offset: number }
  | { op: 'signatureHelp'; cellId: string; offset: number }
  | { op: 'definition'; cellId: string; offset: number }
  | { op: 'declarationText'; path: string };

export interface LanguageAnswers {
  completions: CompletionList | undefined;
  completionDetails: SymbolDocs | undefined;
  hover: HoverResult | undefined;
  signatureHelp: SignatureHelpResult | undefined;
  definition: DefinitionTarget[];
  declarationText: string | undefined;
}

export type LanguageRequest =
  | { type: 'update'; notebook: string; dir: string; cells: CellUpdate[]; diagnostics: boolean }
  | { type: 'close'; notebook: string }
  | { type: 'query'; id: number; notebook: string; query: LanguageQuery };

export type LanguageEvent =
  | { type: 'ready' }
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  /** The problems of the cells in `cellIds` (none listed: none left). */
  | { type: 'diagnostics'; notebook: string; cellIds: string[]; problems: CellProblem[] }
  | { type: 'log'; message: string };

/** What the host passes as workerData. */
export interface LanguageWorkerData {
  declarationsPath: string;
}
