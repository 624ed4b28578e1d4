// An esbuild plugin for the kernel bundle: `@tensorflow/tfjs`, imported from our own code,
// as an ES module of plain constants.
//
// Why: tfjs's Node entry (tf.node.js) is CommonJS and re-exports tfjs-core through a getter
// per name (`get: () => tfjsCore[k]`), and esbuild wraps a CommonJS module in a second getter
// per name (`get: () => from[key]`) for `import * as tf`. Both are keyed loads on a
// closure's key, which V8 cannot specialise, so every `tf.add`, `tf.engine()` or
// `tf.util` in the kernel's hot paths paid two slow calls: about a tenth of the learning
// kit's training step. Here each export is read once at load into a constant, so esbuild
// links `tf.add` in our code straight to it. Modules inside node_modules keep the real one.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NAMESPACE = 'dlnb-tfjs-exports';

export function tfjsExports() {
  return {
    name: 'tfjs-exports',
    setup(build) {
      build.onResolve({ filter: /^@tensorflow\/tfjs$/ }, (args) => {
        if (args.namespace === NAMESPACE || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
        return { path: '@tensorflow/tfjs', namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => {
        const names = Object.keys(require('@tensorflow/tfjs'));
        const constants = names.map((name, i) => `const v${i} = tfjs[${JSON.stringify(name)}];\nexport { v${i} as ${name} };`);
        return {
          contents: [`import tfjs from '@tensorflow/tfjs';`, ...constants, 'export default tfjs;'].join('\n'),
          resolveDir: process.cwd(),
          loader: 'js',
        };
      });
    },
  };
}
