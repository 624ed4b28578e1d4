// typescript-eslint's recommended rules over the TypeScript sources, tests and benches.
// Formatting is prettier's (.prettierrc.json); layer rules are scripts/check-layers.mjs.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.cache/**',
      'test-results/**',
      'bench/results/**',
      'test/renderer/page/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused names are the type-checker's job too (noUnusedLocals); `_name` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `interface Linear extends LinearLayer {}` gives a type a name of its own, for hovers and declarations.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // Browser callbacks in tests (page.evaluate) run where the Node tsconfig has no DOM types.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS by design: loaded with `node -r` before any bundle.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
