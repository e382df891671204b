import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBot } from './process-support.js';

describe('tas-chatops check with Docker secrets (*_FILE variables)', () => {
  let dir: string;
  let base: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tas-secrets-'));
    writeFileSync(
      join(dir, 'config.yml'),
      'people: { alice: {} }\nroles: { oncall: [alice] }\nenvironments:\n  ops: { platform: swarm, stack: ops, services: [api], policy: { read: [oncall] } }\n',
    );
    writeFileSync(join(dir, 'bot_token'), 'xoxb-1111-2222-abc\n');
    writeFileSync(join(dir, 'app_token'), 'xapp-1-A111-333-def');
    writeFileSync(join(dir, 'wrong_token'), 'xapp-1-A111-333-def\n');
    base = { PATH: process.env.PATH, TAS_CHATOPS_CONFIG: join(dir, 'config.yml') };
  });

  it('reads each token from its file, dropping the trailing newline', async () => {
    const result = await runBot(['check'], {
      ...base,
      SLACK_BOT_TOKEN_FILE: join(dir, 'bot_token'),
      SLACK_APP_TOKEN_FILE: join(dir, 'app_token'),
    });
    expect(result.output).toContain('✓');
    expect(result.code).toBe(0);
  });

  it('validates what the file holds like the variable itself', async () => {
    const result = await runBot(['check'], {
      ...base,
      SLACK_BOT_TOKEN_FILE: join(dir, 'wrong_token'),
      SLACK_APP_TOKEN_FILE: join(dir, 'app_token'),
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('SLACK_BOT_TOKEN: must start with xoxb-');
    expect(result.output).not.toContain('333-def');
  });

  it('refuses a variable set both ways, and a file it cannot read, naming each', async () => {
    const unreadable = join(dir, 'missing');
    const result = await runBot(['check'], {
      ...base,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_BOT_TOKEN_FILE: join(dir, 'bot_token'),
      DISCORD_TOKEN_FILE: unreadable,
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('SLACK_BOT_TOKEN_FILE: is set, and so is SLACK_BOT_TOKEN');
    expect(result.output).toContain(`DISCORD_TOKEN_FILE: cannot read ${unreadable}`);
  });
});
