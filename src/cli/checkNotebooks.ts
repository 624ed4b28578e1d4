// `dlnb check FILE...`: type-checks notebooks without running them, with the editor's own
// language service, and prints one line per problem:
//   examples/nb.dlnb: cell 4, line 2, col 7: Property 'shapee' does not exist on type 'Tensor<Rank>'.
// Exit 0 when every notebook is clean, 1 on any error, 2 when a file cannot be read.
// `--json` prints one JSON document instead: { files: [{ file, problems: [...] }] }.
import * as path from 'node:path';
import ts from 'typescript';
import { existsSync } from 'node:fs';
import { readNotebookFile } from '../shared/notebookFile';
import { NotebookChecker, type LocatedProblem } from '../language/checkNotebook';
import { loadDeclarations } from '../language/declarations';

export const CHECK_USAGE = `Usage: dlnb check FILE.dlnb... [--json]

Type-checks notebooks without running them, as the editor does: every code cell sees the
other cells' names and tf, dl, plot, display and history. Prints FILE: cell N, line L,
col C: message for each problem. Exits 0 when clean, 1 on any error, 2 when a file
cannot be read.
`;

interface Terminal {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** dist/declarations.json beside the bundle; from the sources, the one `npm run build` wrote. */
function declarationsPath(): string {
  const beside = path.join(__dirname, 'declarations.json');
  return existsSync(beside) ? beside : path.join(__dirname, '..', '..', 'dist', 'declarations.json');
}

export async function checkNotebooks(argv: string[], terminal: Terminal): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    terminal.stdout(CHECK_USAGE);
    return 0;
  }
  const json = argv.includes('--json');
  const unknown = argv.find((a) => a.startsWith('-') && a !== '--json');
  const files = argv.filter((a) => !a.startsWith('-'));
  if (unknown || files.length === 0) {
    terminal.stderr(`dlnb: ${unknown ? `unknown option '${unknown}'` : 'missing the notebooks to check'}\n\n${CHECK_USAGE}`);
    return 2;
  }
  const checker = new NotebookChecker(ts, loadDeclarations(declarationsPath()));
  const results: Array<{ file: string; problems: LocatedProblem[]; error?: string }> = [];
  for (const file of files) {
    try {
      const notebook = await readNotebookFile(file);
      results.push({ file, problems: checker.check(notebook, path.dirname(path.resolve(file))) });
    } catch (err) {
      results.push({ file, problems: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (json) {
    const out = results.map(({ file, problems, error }) => ({
      file,
      ...(error ? { error } : {}),
      problems: problems.map(({ cellIndex, line, column, message, severity, code }) => ({
        cell: cellIndex,
        line,
        column,
        message,
        severity,
        code: `TS${code}`,
      })),
    }));
    terminal.stdout(`${JSON.stringify({ files: out }, null, 2)}\n`);
  } else {
    for (const { file, problems, error } of results) {
      if (error) terminal.stderr(`dlnb: ${error}\n`);
      for (const p of problems) terminal.stdout(`${file}: cell ${p.cellIndex}, line ${p.line}, col ${p.column}: ${p.message}\n`);
    }
    const count = results.reduce((n, r) => n + r.problems.length, 0);
    const summary = count === 0 ? 'no problems' : `${count} problem${count === 1 ? '' : 's'}`;
    terminal.stderr(`dlnb check: ${summary} in ${files.length} notebook${files.length === 1 ? '' : 's'}\n`);
  }
  if (results.some((r) => r.error)) return 2;
  return results.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0;
}
