import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'zlib', 'util', 'url', 'net'];

/** Layering, as VS Code's code-layering rule: each folder may import only what its runtime has. */
const layer = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'scratch/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['shared/**'], rules: { 'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'require'] } },
  layer(['shared/**'], [...nodeBuiltins, 'electron', '@tensorflow/*', 'ws', '**/main/**', '**/renderer/**'], 'shared/ is pure: no Node, Electron, DOM, tfjs, main or renderer imports'),
  layer(['renderer/**'], [...nodeBuiltins, 'electron', '**/main/**'], 'the renderer reaches main only through renderer/lib/lab.ts'),
  layer(['main/core/**', 'main/worker/**', 'main/server/**', 'main/cli/**'], ['electron', '**/renderer/**'], 'only main/electron may use Electron'),
);
