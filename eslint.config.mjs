import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sources = ['activities', 'api', 'bench', 'cli', 'client', 'lab', 'model', 'test', 'worker', 'workflows'];

// Workflow code runs in Temporal's deterministic sandbox, bundled with everything it imports (model/ included):
// no Node built-in (the SDK's bundle provides only assert), no SDK package that reaches outside the sandbox,
// and nothing from the Node-side directories: types only, which the compiler erases.
const ALLOWED_NODE_BUILTINS = new Set(['assert']);
const nodeBuiltins = builtinModules.filter((m) => !ALLOWED_NODE_BUILTINS.has(m) && !m.startsWith('_'));
const sandboxImports = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in the workflow sandbox.' })),
    ...['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'].map((name) => ({
      name,
      allowTypeImports: true,
      message: 'Workflow code may use only @temporalio/workflow and @temporalio/common at run time (import type is fine).',
    })),
  ],
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox.' },
    {
      group: ['**/activities', '**/activities/**', '**/api', '**/api/**', '**/bench/**', '**/cli/**', '**/client', '**/client/**', '**/lab/**', '**/worker', '**/worker/**', '**/test/**'],
      allowTypeImports: true,
      message: 'Node-side code: workflow code may import only its types (import type).',
    },
  ],
};

export default defineConfig(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', '.cloudtrust/**'] },
  {
    files: sources.map((dir) => `${dir}/**/*.ts`),
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Async implementations of Promise-returning interfaces (codecs, route handlers, fakes) need no await.
      '@typescript-eslint/require-await': 'off',
      // The code base coerces loosely typed values (PowerShell records, memos, JSON) with String() on purpose.
      '@typescript-eslint/no-base-to-string': 'off',
      // Input validators and the ANSI stripper match control characters on purpose.
      'no-control-regex': 'off',
      'max-len': ['error', { code: 200, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // Tests read JSON bodies and CLI output as untyped values.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'model/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', sandboxImports] },
  },
);
