// ESLint: the TypeScript and Vue rules that catch mistakes; layout is Prettier's (eslint-config-prettier
// turns off every rule that would disagree with it).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      'resources/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } }
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // One-line branches as comma sequences (`if (f.kind) (where.push(…), args.push(…))`) are the house
      // style in the SQL builders and readers; the type checker already refuses most statements without effect.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Vue: single-word names are fine for a desktop app's own views; v-html is never used on user text.
      'vue/multi-word-component-names': 'off'
    }
  },
  {
    // Tests reach into untyped shapes (ECharts options, raw zip entries) on purpose.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  prettier
)
