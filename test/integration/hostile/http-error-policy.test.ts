import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_EXIT_CODE } from '../../../src/infra/process-error-policy.js';
import { freePort, http, waitFor } from '../production/process-support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface LogLine {
  readonly msg?: string;
  readonly correlationId?: string;
  readonly event?: string;
  readonly err?: { readonly message?: string };
}

describe('the last-resort error policy of a serving process', () => {
  let port: number;
  let child: ReturnType<typeof spawn>;
  let stdout = '';
  let stderr = '';
  let exited: Promise<[number | null, NodeJS.Signals | null]>;

  const logs = (): LogLine[] =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    port = await freePort();
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/integration/hostile/http-error-policy-child.ts', String(port)],
      { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await waitFor('the child listening', () =>
      Promise.resolve(stdout.includes('listening') ? true : undefined),
    );
  });

  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  describe('when a promise is rejected and nobody handles it', () => {
    it('logs it with a correlation id and goes on serving', async () => {
      expect((await http(port, '/plant/rejection', 'GET')).status).toBe(200);
      const line = await waitFor('the rejection logged', () =>
        Promise.resolve(logs().find((l) => l.event === 'unhandledRejection')),
      );
      expect(line.correlationId).toMatch(UUID);
      expect(line.msg).toContain(line.correlationId);
      expect(line.err?.message).toBe('planted rejection');
      expect((await http(port, '/health')).status).toBe(200);
      expect(child.exitCode).toBeNull();
    });
  });

  describe('when an exception escapes every handler', () => {
    it('logs it with a correlation id, shuts down gracefully and exits non-zero', async () => {
      expect((await http(port, '/plant/exception', 'GET')).status).toBe(200);
      const [code] = await exited;
      expect(code).toBe(CRASH_EXIT_CODE);
      const line = logs().find((l) => l.event === 'uncaughtException');
      expect(line?.correlationId).toMatch(UUID);
      expect(line?.msg).toContain(line?.correlationId);
      expect(line?.err?.message).toBe('planted exception');
      expect(stdout).toContain('graceful shutdown started');
      expect(stdout).toContain('stopped');
    });
  });
});
