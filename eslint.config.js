// Type-aware lint: floating promises and misused promises are bugs in a bot that must always answer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdks = ['@slack/*', 'discord.js', 'dockerode', 'undici', 'ioredis', 'bullmq', 'pino', 'pino-pretty'];
const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group] })) }],
});

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.infra/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Folder rules: the core never touches an SDK, and features import only from their left in
  // lib ← core ← audit, diagnostics ← operations ← jobs ← commands, watcher; adapters and infra
  // meet only in the composition root (src/app).
  { files: ['src/core/**/*.ts', 'src/lib/**/*.ts'], rules: restrict([...sdks, '**/infra/**', '**/adapters/**', '**/commands/**', '**/operations/**', '**/diagnostics/**']) },
  { files: ['src/diagnostics/**/*.ts', 'src/audit/**/*.ts'], rules: restrict([...sdks, '**/infra/**', '**/adapters/**', '**/commands/**', '**/operations/**', '**/jobs/**', '**/watcher/**']) },
  { files: ['src/operations/**/*.ts'], rules: restrict([...sdks, '**/infra/**', '**/adapters/**', '**/commands/**', '**/jobs/**', '**/watcher/**']) },
  { files: ['src/jobs/**/*.ts', 'src/commands/**/*.ts', 'src/watcher/**/*.ts'], rules: restrict([...sdks, '**/infra/**', '**/adapters/**']) },
  { files: ['src/infra/**/*.ts'], rules: restrict(['**/adapters/**', '**/commands/**', '**/operations/**', '**/watcher/**']) },
  { files: ['adapters/**/*.ts'], rules: restrict(['**/infra/**', '**/commands/**', '**/operations/**', '**/diagnostics/**', '**/test/**']) },
  // A file a newcomer reads in one sitting, a function that fits on a screen. Blank lines and
  // comments count, and a factory whose returned object holds every closure is one function:
  // split it into named module-level functions that take their deps.
  {
    files: ['src/**/*.ts', 'adapters/**/*.ts'],
    rules: { 'max-lines': ['error', 250], 'max-lines-per-function': ['error', 80] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
