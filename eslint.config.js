import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'zlib', 'util', 'url', 'net', 'worker_threads'];

/**
 * Layering, as VS Code's code-layering rule: each folder names what it may not import. (In flat
 * config a later no-restricted-imports replaces an earlier one for the same file, so each folder
 * gets exactly one entry, listing everything it is denied.)
 */
const layer = (files, denied, message, more = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: denied, message }, ...more] }] },
});
const folder = (name) => `**/${name}/**`;

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
  // A function longer than a screen does more than one job.
  { files: ['main/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte'], rules: { 'max-lines-per-function': ['error', { max: 60 }] } },
  { files: ['shared/**'], rules: { 'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'require'] } },
  layer(['shared/**'], [...nodeBuiltins, 'electron', '@tensorflow/*', 'ws', folder('main'), folder('renderer')], 'shared/ is pure: no Node, Electron, DOM, tfjs, main or renderer imports'),
  layer(
    ['main/common/**'],
    ['electron', folder('renderer'), ...['core', 'worker', 'cli', 'electron', 'server'].map(folder)],
    'main/common imports only shared/: both sides of a process boundary use it',
  ),
  layer(['main/core/**'], ['electron', folder('renderer'), ...['worker', 'cli', 'electron', 'server'].map(folder)], 'core/ never imports the worker or an entry point; what both need lives in main/common'),
  layer(['main/worker/**'], ['electron', folder('renderer'), ...['core', 'cli', 'electron', 'server'].map(folder)], 'the worker never imports core/ or an entry point; what both need lives in main/common'),
  layer(['main/cli/**'], ['electron', folder('renderer'), ...['worker', 'electron', 'server'].map(folder)], 'cli/ is an entry point: it imports core/, common/ and shared/, never another entry point'),
  layer(['main/server/**'], ['electron', folder('renderer'), ...['worker', 'electron', 'cli'].map(folder)], 'server/ is an entry point: it imports core/, common/ and shared/, never another entry point'),
  layer(['main/electron/**'], [folder('renderer'), ...['worker', 'server', 'cli'].map(folder)], 'electron/ is an entry point: it imports core/, common/ and shared/, never another entry point'),
  layer(['renderer/**'], [...nodeBuiltins, 'electron', folder('main')], 'the renderer reaches main only through renderer/api/lab.ts'),
  // Features are flat folders: from one, `../other/…` can only be another feature.
  layer(['renderer/features/**'], [...nodeBuiltins, 'electron', folder('main')], 'the renderer reaches main only through renderer/api/lab.ts', [
    { regex: '^\\.\\./(?!\\.\\./)[^/]+/', message: 'a feature never imports another feature: move what they share into renderer/ui or renderer/lib' },
  ]),
);
