import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraEnv, repoRoot } from '../../support/infra.js';

const run = promisify(execFile);

/** A config naming a stack that does not exist: status reports it without touching anything. */
function config(stack: string, dockerHost: string): string {
  return [
    'command: tas',
    'people:',
    '  alice: { mattermost: gxto1rhu7338oqwsozjktkyr8i }',
    '  dave: { mattermost: hb35bsz6osucn6ogagncuby1so }',
    'roles: { oncall: [alice], lead: [dave] }',
    'environments:',
    '  prod:',
    '    platform: swarm',
    `    stack: ${stack}`,
    `    docker: { host: "${dockerHost}" }`,
    '    services: [api]',
    '    channels: { ops: { mattermost: "8njcyqoomxpi1znkcz9axaw9nx" } }',
    '    policy:',
    '      read: [oncall, lead]',
    '      restart: { request: [oncall], approve: [lead] }',
    '',
  ].join('\n');
}

describe('tas-chatops start with MATTERMOST_* set (the Mattermost demo)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tas-start-mm-'));
    const { dockerHost } = infraEnv();
    writeFileSync(join(dir, 'config.yml'), config(`mm${randomUUID().slice(0, 8)}`, dockerHost));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('when alice types /tas status in the ops channel', () => {
    it('connects to the Mattermost server and posts the status of the environment there', async () => {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'test/demo/mattermost-demo.ts', join(dir, 'config.yml'), dir, 'status'],
        { cwd: repoRoot, env: { PATH: process.env.PATH }, timeout: 120_000 },
      );
      expect(stdout).toContain('@alice in ~prod-ops: /tas status');
      expect(stdout).toContain('the server answered the command: 200');
      const posted = stdout.slice(stdout.indexOf('posted in ~prod-ops:'));
      expect(posted).toMatch(/^posted in ~prod-ops:\n {4}.*prod/);
      expect(posted).toContain('api');
    }, 150_000);
  });
});
