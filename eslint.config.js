import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**', 'data/**', 'e2e/screenshots/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Named exports only; import cycles are checked by `npm run lint:cycles` (dpdm).
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Config files and scripts that tools load by default export.
    files: ['*.config.ts', '*.config.js', '**/vite.config.ts', 'packages/server/test/global-setup.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Dependency direction (ARCHITECTURE §1): http → modules, automation, bpm → ports ← infra. The domain never imports HTTP.
    files: ['packages/server/src/modules/**/*.ts', 'packages/server/src/core/**/*.ts', 'packages/server/src/jobs/**/*.ts', 'packages/server/src/infra/**/*.ts', 'packages/server/src/bpm/**/*.ts', 'packages/server/src/automation/**/*.ts'],
    ignores: ['**/*.routes.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/http/**', 'fastify', '@fastify/*'], message: 'Only *.routes.ts and src/http may depend on HTTP.' },
          ],
        },
      ],
    },
  },
  {
    // Only repositories and infra touch SQL.
    files: ['packages/server/src/modules/**/*.service.ts', 'packages/server/src/core/**/*.ts', 'packages/server/src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', importNames: ['sql'], message: 'SQL belongs in a repository or infra.' }],
          patterns: [{ group: ['**/http/**', 'fastify', '@fastify/*'], message: 'Only *.routes.ts and src/http may depend on HTTP.' }],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'kysely', importNames: ['sql'], message: 'SQL belongs in a repository or infra.' }] }] },
  },
  {
    // The web talks to the server only over HTTP.
    files: ['packages/web/**/*.ts', 'packages/web/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '@rapport/server'], message: 'The web uses the API, not server code.' }] }] },
  },
);
