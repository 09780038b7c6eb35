import js from '@eslint/js';
import litA11y from 'eslint-plugin-lit-a11y';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'sandbox/dist/', 'coverage/', 'node_modules/', '.test-results/', 'demo/**/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-console': 'off',
    },
  },
  {
    files: [
      'src/element/**/*.ts',
      'src/index.ts',
      'src/define.ts',
      'src/cdn.ts',
      'src/core/**/*.ts',
      'src/providers/**/*.ts',
    ],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/element/**/*.ts'],
    // Lit binds `this` of event listeners in templates to the element.
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  { files: ['src/element/**/*.ts'], ...wc.configs['flat/recommended'] },
  { files: ['src/element/**/*.ts'], ...wc.configs['flat/best-practice'] },
  { files: ['src/element/**/*.ts'], ...litA11y.configs.recommended },
  {
    files: [
      'src/element/**/*.ts',
      'src/core/**/*.ts',
      'src/providers/**/*.ts',
      'test/browser/**/*.ts',
      'demo/**/*.ts',
      'demo/**/*.tsx',
      'demo/**/*.js',
    ],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['src/server/**/*.ts', 'sandbox/**/*.ts', 'scripts/**', 'test/node/**', '**/*.mjs', '*.config.*'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The example apps import the built package's generated types (dist/types), which do not exist before
    // `npm run build`: tsc and vue-tsc check them instead (npm run typecheck:examples, test/e2e/examples.test.ts).
    files: ['demo/react/**', 'demo/vue/**'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts', 'sandbox/test/**/*.ts'],
    rules: {
      // chai's `expect(x).to.be.true` style and test helpers that are plain async callbacks.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
