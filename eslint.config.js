import js from '@eslint/js';
import litA11y from 'eslint-plugin-lit-a11y';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * `no-restricted-imports` per folder: `layers` it must not import (relative paths into those folders of src/),
 * `parent` forbids leaving its own folder, `browser` forbids Node built-ins, `onlyRegistry` lets the element
 * reach the providers through their registry only, `product` forbids the product's sources and package.
 */
function layerRules(folders) {
  return Object.entries(folders).map(([glob, rule]) => {
    const patterns = [];
    if (rule.layers?.length) {
      patterns.push({
        group: rule.layers.map((layer) => `**/${layer}/*`),
        message: 'Imports go one way: contract ← engine ← providers ← element; server → contract.',
      });
    }
    if (rule.parent)
      patterns.push({ group: ['../*'], message: 'The contract imports nothing outside itself.' });
    if (rule.browser) patterns.push({ group: ['node:*'], message: 'Browser code uses no Node built-ins.' });
    if (rule.onlyRegistry) {
      patterns.push({
        group: ['**/providers/*', '!**/providers/registry.js'],
        message: 'The element loads providers through providers/registry.js only.',
      });
    }
    if (rule.product) {
      patterns.push({
        group: ['convert-uploader', 'convert-uploader/*', '**/../src/*', '**/../../src/*'],
        message: 'The sandbox stays independent of the client it emulates the services for.',
      });
    }
    return { files: [glob], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}

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
  // One-way layers (docs/design.md §8): contract ← engine ← providers ← element; the server kit imports only the
  // contract; the sandbox package imports nothing of the product. An import the other way fails the lint.
  ...layerRules({
    'src/contract/**': { layers: ['engine', 'providers', 'element', 'server'], parent: true },
    'src/engine/**': { layers: ['providers', 'element', 'server'], browser: true },
    'src/providers/**': { layers: ['element', 'server'], browser: true },
    'src/element/**': { layers: ['server'], browser: true, onlyRegistry: true },
    'src/server/**': { layers: ['engine', 'providers', 'element'] },
    'sandbox/src/**': { product: true },
  }),
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
