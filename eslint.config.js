// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.dev/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['web/**/*.{js,ts}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The lead emails are JSX rendered by preact-render-to-string, which escapes every value;
    // raw HTML would be the one way around it (docs/decisions/0005-email-template.md).
    files: ['services/lead/src/email/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Email HTML is never raw: pass text and let the renderer escape it.',
        },
      ],
    },
  },
  {
    // CLIs talk to a terminal on purpose.
    files: ['**/src/**/cli/**', '**/src/**/main.ts', 'tools/dev/src/dev.ts', '**/scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
