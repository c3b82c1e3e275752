import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public/data', '.cache', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      // Modules form layers, never rings: a cycle makes load order matter and hides a missing layer.
      'import-x/no-cycle': 'error',
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The layers: text, data and bundle logic is pure (shared by Node scripts, workers and the page),
  // so it never needs tfjs (types aside) or the DOM; only the UI uses React.
  {
    files: ['src/**'],
    ignores: ['src/ui/**', 'src/main.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'Only src/ui uses React.' }],
        },
      ],
    },
  },
  // Workers and their clients sit above the logic they run; only the UI sits above them.
  {
    files: ['src/model/**', 'src/inference/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/workers/**', '**/ui/**'],
              message: 'Model, training and inference code is called by the workers, never the other way round.',
            },
            { group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'Only src/ui uses React.' },
          ],
        },
      ],
    },
  },
  // The training loop drives engines through the BatchRunner interface it defines; it never names one.
  {
    files: ['src/training/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/model/**', '**/bundle/**', '**/inference/**', '**/workers/**', '**/ui/**'],
              message: 'Training code sits below the model, bundle and inference code that use it.',
            },
            { group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'Only src/ui uses React.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/workers/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/ui/**'], message: 'Workers and their clients do not know the UI.' },
            { group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'Only src/ui uses React.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/text/**', 'src/data/**', 'src/bundle/**', 'src/url/**', 'src/baseline/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              allowTypeImports: true,
              message: 'Text, data and bundle code stays free of tfjs (type imports are fine).',
            },
            { group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'Only src/ui uses React.' },
            { group: ['**/workers/**', '**/ui/**'], message: 'Text, data and bundle code is the bottom layer.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'indexedDB', 'location', 'self'].map((name) => ({
          name,
          message: 'Text, data and bundle code does not touch the browser.',
        })),
      ],
    },
  },
);
