// TypeScript's diagnostics as a notebook user should see them: in the cell's own
// coordinates, none from the lines dlnb adds around a cell, and none for what the kernel
// allows across cells (reassigning a `let` that another cell declared).
import type * as TS from 'typescript';
import type { CellProblem, Severity } from '../shared/languageProtocol';
import type { CellFile } from './cellFiles';

/** "Cannot assign to 'x' because it is an import." */
const ASSIGN_TO_IMPORT = 2632;
/**
 * "Block-scoped variable 'x' used before its declaration", "'x' is used before being
 * assigned", the same for classes and enums: not so when another cell declares `x` too,
 * since the kernel's `x` above this cell's declaration is still the other cell's.
 */
const USED_BEFORE_DECLARATION = new Set([2448, 2454, 2449, 2450]);

export function problemFor(ts: typeof TS, diagnostic: TS.Diagnostic, file: CellFile): CellProblem | undefined {
  if (diagnostic.start === undefined) return undefined;
  const start = diagnostic.start - file.preludeLength;
  const sourceLength = file.cell.source.length;
  // The prelude is dlnb's; what goes wrong there shows where it began.
  if (start < 0 || start > sourceLength) return undefined;
  let message = readableTypeText(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  if (USED_BEFORE_DECLARATION.has(diagnostic.code)) {
    const name = /'([^']+)'/.exec(message)?.[1];
    if (name !== undefined && file.redeclared.has(name)) return undefined;
  }
  if (diagnostic.code === ASSIGN_TO_IMPORT) {
    const name = /'([^']+)'/.exec(message)?.[1];
    const origin = name === undefined ? undefined : file.imports.get(name);
    if (origin && (origin.kind === 'let' || origin.kind === 'var')) return undefined;
    if (origin) message = `Cannot assign to '${name}': it is a ${origin.kind} declared in cell ${origin.fromIndex}.`;
  }
  const end = Math.min(start + (diagnostic.length ?? 0), sourceLength);
  return {
    cellId: file.cell.id,
    cellIndex: file.cell.index,
    range: { start, end },
    message,
    severity: severityOf(ts, diagnostic.category),
    code: diagnostic.code,
  };
}

function severityOf(ts: typeof TS, category: TS.DiagnosticCategory): Severity {
  if (category === ts.DiagnosticCategory.Error) return 'error';
  if (category === ts.DiagnosticCategory.Warning) return 'warning';
  return 'info';
}

/**
 * Type text without dlnb's inner paths: `typeof import("/dlnb-types/.../tfjs/dist/index")`
 * reads `typeof tf`, other bundled packages read by their package name, and another cell's
 * module reads as that cell.
 */
export function readableTypeText(text: string): string {
  return text
    .replace(/typeof import\("\/dlnb-types\/node_modules\/@tensorflow\/tfjs\/dist\/index"\)/g, 'typeof tf')
    .replace(/import\("\/dlnb-types\/node_modules\/((?:@[^/"]+\/)?[^/"]+)[^"]*"\)/g, 'import("$1")')
    .replace(/typeof import\("[^"]*\/\.dlnb-cell[\d-]+"\)/g, 'the cell');
}
