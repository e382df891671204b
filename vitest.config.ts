import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'adapters/**/*.ts'],
      thresholds: { lines: 80, functions: 80, branches: 70, statements: 80 },
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/contract/**/*.test.ts'],
          // They share one swarm and one Redis: files run one at a time so a restart in one
          // file never races a status check in another. Tests inside a file use unique names.
          fileParallelism: false,
          // Real convergence on a shared 2-core machine: the longest tests take ~35 s on a quiet
          // one; the margin is for a loaded CI runner, not a statement about speed.
          testTimeout: 150_000,
          hookTimeout: 180_000,
          // Fails the run, naming DOCKER_HOST / REDIS_URL, when either is unreachable.
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          // A private Redis each, but the swarm is shared: one file at a time, and only after
          // the unit and integration projects (group 0) are done, so neither loads the other.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // An iteration waits for real convergence after a SIGKILL and a recovery.
          testTimeout: 300_000,
          hookTimeout: 180_000,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
