// The bundled declarations (dist/declarations.json, built by scripts/build-declarations.mjs):
// TypeScript's libraries, tfjs, Node's globals and the kernel's own cell globals, read from
// virtual paths under /dlnb-types. Loaded once per process and shared by every notebook.
import { readFileSync } from 'node:fs';

export const VIRTUAL_ROOT = '/dlnb-types';

export interface Declarations {
  /** Virtual path -> text. */
  files: Map<string, string>;
  /** `lib` compiler option, e.g. ['lib.es2022.d.ts']. */
  lib: string[];
  /** The file that declares `tf`, `dl`, `plot`, `display` and `history`. */
  globals: string;
  /** Folders that hold at least one declaration file (for directoryExists). */
  folders: Set<string>;
}

export function loadDeclarations(path: string): Declarations {
  let parsed: { files: Record<string, string>; lib: string[]; globals: string };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`dlnb's type declarations could not be read from ${path}: ${(err as Error).message}`);
  }
  const files = new Map(Object.entries(parsed.files));
  const folders = new Set<string>();
  for (const file of files.keys()) {
    for (let i = file.lastIndexOf('/'); i > 0; i = file.lastIndexOf('/', i - 1)) {
      const folder = file.slice(0, i);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return { files, lib: parsed.lib, globals: parsed.globals, folders };
}

export function isVirtual(path: string): boolean {
  return path === VIRTUAL_ROOT || path.startsWith(`${VIRTUAL_ROOT}/`);
}
