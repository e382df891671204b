import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Logs through createLogger as the console chat does, in a real process; returns what went where. */
async function logInConsole(level: string, file: string) {
  const code = `
    import { createLogger } from './src/infra/create-logger.ts';
    const log = createLogger({ level: '${level}', pretty: false, fd: 2, file: ${JSON.stringify(file)}, redact: (t) => t.replaceAll('xoxb-1111-secret', '[redacted]') });
    log.debug({ attempt: 1 }, 'canary not sent');
    log.info({ token: 'plain-token', command: 'status' }, 'command answered');
    log.child({ component: 'redis' }).warn({ err: new Error('auth failed\\nfor xoxb-1111-secret') }, 'Redis is not reachable yet; retrying');
    log.error({ password: 'hunter2' }, 'delivery failed:\\n  the channel is gone');
  `;
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    { env: { PATH: process.env.PATH } },
  );
  const records = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stdout, stderr, records, text: readFileSync(file, 'utf8') };
}

describe('the console chat logger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tas-console-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('when LOG_LEVEL is debug', () => {
    it('writes every record to the log file, creating its directory', async () => {
      const { records } = await logInConsole('debug', join(dir, 'debug', 'console.log'));
      expect(records.map((r) => r.msg)).toEqual([
        'canary not sent',
        'command answered',
        'Redis is not reachable yet; retrying',
        'delivery failed:\n  the channel is gone',
      ]);
    });

    it('shows only the warning and the error on the terminal, one line each', async () => {
      const { stdout, stderr } = await logInConsole('debug', join(dir, 'terminal', 'console.log'));
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'warning: Redis is not reachable yet; retrying (auth failed for [redacted])\n' +
          'error: delivery failed: the channel is gone\n',
      );
    });

    it('keeps secrets out of the file as out of the terminal', async () => {
      const { text, stderr } = await logInConsole('debug', join(dir, 'secrets', 'console.log'));
      for (const secret of ['plain-token', 'hunter2', 'xoxb-1111-secret']) {
        expect(text).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
    });
  });

  describe('when LOG_LEVEL is error', () => {
    it('leaves warnings out of the file and the terminal alike', async () => {
      const { records, stderr } = await logInConsole('error', join(dir, 'error', 'console.log'));
      expect(records.map((r) => r.msg)).toEqual(['delivery failed:\n  the channel is gone']);
      expect(stderr).toBe('error: delivery failed: the channel is gone\n');
    });
  });
});
