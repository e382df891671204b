import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Logs through createLogger in a real process, as the bot does, and returns what it wrote. */
async function logInChild(pretty: boolean): Promise<{ stdout: string; stderr: string }> {
  const code = `
    import { createLogger } from './src/infra/create-logger.ts';
    const log = createLogger({ level: 'info', pretty: ${pretty}, fd: ${pretty ? 2 : 1}, redact: (t) => t.replaceAll('xoxb-1111-secret', '[redacted]') });
    log.info({ token: 'plain-token', headers: { authorization: 'Bearer abc' }, slack: { botToken: 'bot-token', signingSecret: 'the-signing-value' }, note: 'sent xoxb-1111-secret' }, 'hello');
    log.child({ component: 'redis' }).warn({ password: 'hunter2', err: new TypeError('auth failed for xoxb-1111-secret') }, 'child');
  `;
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH },
  });
}

describe('createLogger in a process', () => {
  it('writes one JSON object per line to stdout, secrets redacted by path and by value, errors named by their type', async () => {
    const { stdout, stderr } = await logInChild(false);
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      level: 30,
      app: 'tas-chatops',
      msg: 'hello',
      token: '[REDACTED]',
      headers: { authorization: '[REDACTED]' },
      slack: { botToken: '[REDACTED]', signingSecret: '[REDACTED]' },
      note: 'sent [redacted]',
    });
    expect(lines[1]).toMatchObject({
      level: 40,
      component: 'redis',
      password: '[REDACTED]',
      err: { type: 'TypeError', message: 'auth failed for [redacted]' },
    });
    for (const secret of [
      'plain-token',
      'Bearer abc',
      'bot-token',
      'the-signing-value',
      'hunter2',
      'xoxb-1111-secret',
    ])
      expect(stdout).not.toContain(secret);
  });

  it('writes human-readable lines to stderr for `run`, redacted the same way', async () => {
    const { stdout, stderr } = await logInChild(true);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/INFO: hello/);
    expect(stderr).not.toMatch(/^\{/m);
    for (const secret of ['plain-token', 'Bearer abc', 'bot-token', 'hunter2', 'xoxb-1111-secret'])
      expect(stderr).not.toContain(secret);
  });
});
