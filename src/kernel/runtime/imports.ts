// `import` in cells: tfjs and `dlnb` come from the kernel itself (so every cell shares one
// tfjs and one backend); anything else resolves from the notebook's folder as Node would.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveEsmPackage } from './esmResolve';

/** Modules the kernel provides, by specifier. */
export type BuiltinModules = Record<string, object>;

export function createImporter(notebookDir: string, builtins: BuiltinModules) {
  const requireFromNotebook = createRequire(path.join(notebookDir, '/'));
  const cache = new Map<string, Promise<object>>();

  async function load(specifier: string): Promise<object> {
    const builtin = builtins[specifier];
    if (builtin) return builtin;
    let resolved: string;
    try {
      resolved = requireFromNotebook.resolve(specifier);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
        throw notFound(specifier, notebookDir);
      }
      // e.g. a package with only an "import" export condition: let Node's ESM loader try.
      return importEsm(specifier, notebookDir);
    }
    if (!path.isAbsolute(resolved)) return toNamespace(requireFromNotebook(resolved)); // node: builtins
    try {
      const exports = requireFromNotebook(resolved);
      return toNamespace(exports);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(resolved).href);
      throw error;
    }
  }

  return function importModule(specifier: string): Promise<object> {
    let loading = cache.get(specifier);
    if (!loading) {
      loading = load(specifier);
      cache.set(specifier, loading);
      loading.catch(() => cache.delete(specifier)); // a later cell may install it
    }
    return loading;
  };
}

async function importEsm(specifier: string, notebookDir: string): Promise<object> {
  // import() in the CommonJS worker bundle resolves from the bundle's folder, not the
  // notebook's: resolve to a file first.
  const local = specifier.startsWith('.') || path.isAbsolute(specifier);
  const file = local ? path.resolve(notebookDir, specifier) : resolveEsmPackage(specifier, notebookDir);
  if (!file) throw notFound(specifier, notebookDir);
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw notFound(specifier, notebookDir);
    throw error;
  }
}

/** CommonJS exports as an import namespace: named exports plus `default`. */
function toNamespace(exports: unknown): object {
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
    const record = exports as Record<string, unknown>;
    if (record.__esModule) return record;
    return new Proxy(record, {
      get: (target, key) => (key === 'default' ? exports : Reflect.get(target, key)),
      has: (target, key) => key === 'default' || Reflect.has(target, key),
    });
  }
  return { default: exports };
}

function notFound(specifier: string, notebookDir: string): Error {
  const local = specifier.startsWith('.') || path.isAbsolute(specifier);
  const error = new Error(
    local
      ? `Cannot find module '${specifier}' (looked for ${path.resolve(notebookDir, specifier)}, ` +
          `relative to the notebook's folder).`
      : `Cannot find module '${specifier}' (looked for it from the notebook's folder ${notebookDir}, ` +
          `in its node_modules and those of the folders above). ` +
          `Install it there, e.g. \`npm install ${packageName(specifier)}\`.`,
  );
  (error as NodeJS.ErrnoException).code = 'MODULE_NOT_FOUND';
  return error;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
