// What `import ts from 'typescript'` means inside dist/languageWorker.js and dist/cli.js
// (esbuild.mjs aliases it here): the compiler that already ships beside them as
// dist/typescript.js for the kernel, so the .vsix carries TypeScript once.
import path from 'node:path';
import type * as TypeScript from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require(path.join(__dirname, 'typescript.js')) as typeof TypeScript;
export default ts;
