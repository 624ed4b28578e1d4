// Builds dist/declarations.json: every .d.ts the editor's language service and `dlnb check`
// need, keyed by the virtual path they are read from (src/language/virtualFiles.ts):
//   /dlnb-types/lib/lib.es2022.d.ts ...            TypeScript's own libraries (no DOM: cells run in Node)
//   /dlnb-types/node_modules/@tensorflow/...       tfjs's real declarations
//   /dlnb-types/node_modules/@types/node/...       Node's globals (console, setTimeout, require)
//   /dlnb-types/node_modules/@dlnb/kernel/...      .d.ts emitted from the kernel's sources
//   /dlnb-types/node_modules/@dlnb/kernel/globals.d.ts   tf, dl, plot, display, history
// Only the files a program that uses all of them actually loads are kept, and of each
// package.json only the fields module resolution reads.
//
//   node scripts/build-declarations.mjs [outFile]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const VIRTUAL = '/dlnb-types';
const KERNEL_PACKAGE = `${VIRTUAL}/node_modules/@dlnb/kernel`;
const GLOBALS_FILE = `${KERNEL_PACKAGE}/globals.d.ts`;
const TYPES_ENTRY = join(root, 'src/kernel/types/cellGlobals.ts');
const LIB = ['lib.es2022.d.ts'];

/** The kernel's sources as .d.ts, in memory, keyed by virtual path. */
function emitKernelDeclarations() {
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    declaration: true,
    emitDeclarationOnly: true,
    stripInternal: true,
    skipLibCheck: true,
    strict: true,
    esModuleInterop: true,
    types: ['node'],
    rootDir: join(root, 'src'),
    outDir: join(root, 'out/declarations'),
  };
  const program = ts.createProgram([TYPES_ENTRY], options);
  const files = new Map();
  const result = program.emit(undefined, (fileName, text) => {
    const rel = relative(options.outDir, fileName).split('\\').join('/');
    files.set(`${KERNEL_PACKAGE}/${rel}`, text);
  });
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    throw new Error(`declarations of the cell globals:\n${ts.formatDiagnostics(errors, host)}`);
  }
  return { files, entrySource: program.getSourceFile(TYPES_ENTRY) };
}

/** `declare global { const tf: CellGlobals['tf']; ... }`, each with the member's doc comment. */
function globalsDeclaration(entrySource) {
  const globals = entrySource.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'CellGlobals');
  if (!globals) throw new Error('src/kernel/types/cellGlobals.ts has no interface CellGlobals');
  const text = entrySource.text;
  const lines = [
    '// The globals of every dlnb cell, built from src/kernel/types/cellGlobals.ts.',
    '/// <reference types="node" />',
    "import type { CellGlobals } from './kernel/types/cellGlobals';",
    "import * as tfModule from '@tensorflow/tfjs';",
    'declare global {',
  ];
  for (const member of globals.members) {
    const name = member.name.getText(entrySource);
    const comments = ts.getLeadingCommentRanges(text, member.pos) ?? [];
    for (const c of comments) lines.push(`  ${text.slice(c.pos, c.end).replace(/\n\s*/g, '\n   ')}`);
    // `tf` is a namespace too, so that `tf.Tensor` works as a type, as with an import.
    if (name === 'tf') lines.push('  export import tf = tfModule;');
    else lines.push(`  const ${name}: CellGlobals['${name}'];`);
  }
  lines.push('}', 'export {};', '');
  return lines.join('\n');
}

/** Maps a virtual path to the file it stands for in this repository, if any. */
function realPathOf(virtualPath) {
  if (virtualPath.startsWith(`${VIRTUAL}/lib/`)) {
    return join(root, 'node_modules/typescript/lib', virtualPath.slice(`${VIRTUAL}/lib/`.length));
  }
  if (virtualPath === `${VIRTUAL}/node_modules` || virtualPath.startsWith(`${VIRTUAL}/node_modules/`)) {
    return join(root, virtualPath.slice(VIRTUAL.length + 1));
  }
  return undefined;
}

const RESOLUTION_FIELDS = ['name', 'version', 'types', 'typings', 'typesVersions', 'main', 'type'];

/** Loads every file a program using the globals and `@tensorflow/tfjs` reads; returns them all. */
function collect(emitted) {
  const probe = `${VIRTUAL}/probe.ts`;
  const probeText = "import * as tfjs from '@tensorflow/tfjs';\nexport const t: tfjs.Tensor = tf.zeros([1]);\n";
  const packageJsons = new Map();
  const read = (path) => {
    if (path === probe) return probeText;
    if (emitted.has(path)) return emitted.get(path);
    const real = realPathOf(path);
    if (!real) return undefined;
    try {
      const text = readFileSync(real, 'utf8');
      if (path.endsWith('/package.json')) {
        const json = JSON.parse(text);
        const kept = Object.fromEntries(RESOLUTION_FIELDS.filter((k) => k in json).map((k) => [k, json[k]]));
        packageJsons.set(path, `${JSON.stringify(kept, null, 1)}\n`);
      }
      return text;
    } catch {
      return undefined;
    }
  };
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: LIB,
    types: [],
    skipLibCheck: true,
    noEmit: true,
    traceResolution: !!process.env.TRACE,
  };
  const host = ts.createCompilerHost(options);
  Object.assign(host, {
    getDefaultLibLocation: () => `${VIRTUAL}/lib`,
    getDefaultLibFileName: () => `${VIRTUAL}/lib/lib.d.ts`,
    getCurrentDirectory: () => VIRTUAL,
    fileExists: (path) => read(path) !== undefined,
    readFile: read,
    directoryExists: (path) => {
      if (path.startsWith(KERNEL_PACKAGE)) return true;
      const real = realPathOf(path);
      return real !== undefined && ts.sys.directoryExists(real);
    },
    getDirectories: () => [],
    realpath: (path) => path,
    getSourceFile: (path, languageVersion) => {
      const text = read(path);
      return text === undefined ? undefined : ts.createSourceFile(path, text, languageVersion);
    },
  });
  const program = ts.createProgram([GLOBALS_FILE, probe], options, host);
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length) {
    const format = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => VIRTUAL, getNewLine: () => '\n' };
    throw new Error(`the bundled declarations do not type-check:\n${ts.formatDiagnostics(problems, format)}`);
  }
  const files = {};
  for (const file of program.getSourceFiles()) if (file.fileName !== probe) files[file.fileName] = file.text;
  for (const [path, text] of packageJsons) files[path] = text;
  return files;
}

export function buildDeclarations(outFile = join(root, 'dist/declarations.json')) {
  const { files: emitted, entrySource } = emitKernelDeclarations();
  emitted.set(GLOBALS_FILE, globalsDeclaration(entrySource));
  const files = collect(emitted);
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8'));
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ typescript: version, lib: LIB, globals: GLOBALS_FILE, files }));
  return { count: Object.keys(files).length, bytes: Object.values(files).reduce((n, t) => n + t.length, 0) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { count, bytes } = buildDeclarations(process.argv[2]);
  console.log(`declarations: ${count} files, ${(bytes / 1e6).toFixed(1)} MB`);
}
