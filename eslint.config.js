// `npm run lint`: Prettier owns the layout (lines of at most 120 characters, see .prettierrc.json);
// ESLint checks the code: typescript-eslint's recommended rules, the rules of React hooks, lines of
// at most 120 characters (comments and strings included), and the layering of src/.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Layers: core is the engine and knows nothing of the page or its workers. */
const CORE_IMPORTS = {
  patterns: [
    {
      group: ['**/ui/**', '**/ui', '**/worker/**', '**/worker'],
      message: 'src/core must not import src/ui or src/worker.',
    },
  ],
};
/** The page talks to its workers only through messages: it may name their types, never run their code. */
const UI_IMPORTS = {
  patterns: [
    {
      group: ['**/worker/**'],
      allowTypeImports: true,
      message: 'src/ui imports only types from src/worker (the worker runs in its own thread).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { '@stylistic': stylistic, 'react-hooks': reactHooks },
    rules: {
      '@stylistic/max-len': ['error', { code: 120, tabWidth: 2, ignoreUrls: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  { files: ['src/core/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', CORE_IMPORTS] } },
  { files: ['src/ui/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', UI_IMPORTS] } },
);
