// What `import ts from 'typescript'` means inside dist/kernel.js (esbuild.mjs aliases it
// here): the compiler the worker loaded from dist/typescript.js with a code cache.
import { loadedTypeScript } from './typescriptLoader';

export default loadedTypeScript();
