import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layeringPlugin } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['dist/', 'gpu-bundle/', 'release/', 'node_modules/', 'scratch/', 'test-results/', 'playwright-report/'] },
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
  // The layers: allow-lists per folder (eslint.layers.js), proved by test/unit/layering.test.ts.
  { files: ['shared/**', 'main/**', 'renderer/**'], plugins: { layering: layeringPlugin }, rules: { 'layering/allowed-imports': 'error' } },
);
