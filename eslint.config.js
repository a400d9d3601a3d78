// Lint: JavaScript's and typescript-eslint's recommended rules, plus the project's own:
// workflows stay deterministic (no Node built-ins, no I/O, activities as types only) and SQL
// stays in db/. The layering and loops of imports are checked by dependency-cruiser
// (.dependency-cruiser.cjs); formatting by Prettier.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'test/fixtures/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Hono's typed JSON answers and generic policy documents need it in a few places, each said why.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The console's scripts run in the browser (sw.js in its service worker).
    files: ['api/console/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'document',
          'sessionStorage',
          'fetch',
          'setTimeout',
          'clearTimeout',
          'URL',
          'FormData',
          'URLSearchParams',
          'window',
          'Event',
          'setInterval',
          // The offline app (issue 30): its script and its service worker.
          'navigator',
          'crypto',
          'indexedDB',
          'confirm',
          'caches',
          'Response',
          'self',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is replayed: no Node built-ins (they do I/O or read the clock).' })),
          patterns: [
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Workflows call activities through proxyActivities; import their types only (import type).',
            },
            {
              group: ['postgres', '**/db/*', '**/api/*', '**/system/*', '**/security/*', '**/rules/*', '**/worker'],
              message: 'Workflow code is replayed: no I/O and nothing that does it; ask an activity.',
            },
          ],
        },
      ],
    },
  },
  {
    // The failure converter is CommonJS: the SDK require()s it by path.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    // Tests and benchmarks set up and measure the database directly.
    ignores: ['db/**', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TaggedTemplateExpression[tag.name=/^(sql|tx)$/], TaggedTemplateExpression[tag.property.name='sql']",
          message: 'SQL lives in db/: call a typed function of db/ instead.',
        },
      ],
    },
  },
);
