// Loads dist/extension.js in a fresh process with a stand-in `vscode` module and times
// require + activate(). Prints one JSON line: { requireMs, activateMs, subscriptions } or
// { error }. Plain CommonJS run by plain node, so no loader hook skews the timing.
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(process.argv[2] || '.');

/** Messages the extension showed as errors: activation reports them. */
const shownErrors = [];

/**
 * Anything at all: callable, constructible, every property another stand-in. What a call
 * returns is also a thenable resolving to undefined, like the API's Thenables.
 */
function standIn(name, thenable = false) {
  const children = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'then') return thenable ? (onDone) => Promise.resolve(undefined).then(onDone) : undefined;
      if (prop === 'prototype') return t.prototype; // `class X extends vscode.Y`
      if (prop === Symbol.toPrimitive) return () => `[vscode ${name}]`;
      if (prop === Symbol.iterator) return function* () {};
      if (typeof prop === 'symbol') return undefined;
      if (prop in t && prop !== 'name' && prop !== 'length') return t[prop];
      if (!children.has(prop)) children.set(prop, standIn(`${name}.${String(prop)}`));
      return children.get(prop);
    },
    set(t, prop, value) {
      t[prop] = value;
      return true;
    },
    apply: (_t, _this, args) => {
      if (name.endsWith('showErrorMessage')) shownErrors.push(String(args[0]));
      return standIn(`${name}()`, true);
    },
    construct: () => standIn(`new ${name}`),
  });
}

function uri(fsPath) {
  return { scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}`, with: () => uri(fsPath) };
}

const Uri = {
  file: uri,
  parse: (s) => uri(s.replace(/^file:\/\//, '')),
  joinPath: (base, ...parts) => uri(path.join(base.fsPath, ...parts)),
};

/**
 * The bundle reads the module through esbuild's interop, which copies its own keys, so
 * the stand-in needs every top-level name of the API as a real key: we take them from
 * @types/vscode (namespaces, classes, enums, variables, functions).
 */
function vscodeNames() {
  const fs = require('node:fs');
  const declarations = path.join(root, 'node_modules/@types/vscode/index.d.ts');
  const fallback = ['window', 'workspace', 'commands', 'notebooks', 'languages', 'env', 'extensions', 'l10n'];
  if (!fs.existsSync(declarations)) return fallback;
  const text = fs.readFileSync(declarations, 'utf8');
  const names = new Set(fallback);
  for (const match of text.matchAll(/^(?:\t|\s{4})export (?:namespace|class|enum|const|let|function) (\w+)/gm))
    names.add(match[1]);
  return [...names];
}

const vscode = {};
for (const name of vscodeNames()) vscode[name] = standIn(name);
vscode.Uri = Uri;

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'vscode') return vscode;
  return originalLoad.call(this, request, parent, isMain);
};

const packageJSON = require(path.join(root, 'package.json'));
const context = new Proxy(
  {
    subscriptions: [],
    extensionUri: uri(root),
    extensionPath: root,
    extension: { id: `${packageJSON.publisher}.${packageJSON.name}`, packageJSON, extensionUri: uri(root) },
    asAbsolutePath: (p) => path.join(root, p),
    globalStorageUri: uri(path.join(root, '.cache/bench-global')),
    storageUri: uri(path.join(root, '.cache/bench-storage')),
    logUri: uri(path.join(root, '.cache/bench-log')),
  },
  { get: (t, prop) => (prop in t ? t[prop] : standIn(`context.${String(prop)}`)) },
);

try {
  const start = performance.now();
  const extension = require(path.join(root, 'dist/extension.js'));
  const loaded = performance.now();
  const result = extension.activate(context);
  Promise.resolve(result).then(
    () => {
      const done = performance.now();
      console.log(
        JSON.stringify({
          requireMs: loaded - start,
          activateMs: done - loaded,
          subscriptions: context.subscriptions.length,
          shownErrors,
        }),
      );
      process.exit(0);
    },
    (error) => {
      console.log(JSON.stringify({ error: String(error && error.stack ? error.stack : error) }));
      process.exit(0);
    },
  );
} catch (error) {
  console.log(JSON.stringify({ error: String(error && error.stack ? error.stack : error) }));
  process.exit(0);
}
