import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSwarm, serviceFactory, uniqueStack } from '../docker/test-swarm.js';
import { infraEnv, repoRoot } from '../../support/infra.js';

const run = promisify(execFile);

/** alice (on call) asks, dave (lead) approves; the stack is this file's own. */
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
    '      restart: { request: [oncall], approve: [lead], approvals: 1, expires: 15m }',
    '',
  ].join('\n');
}

/** What `npm run demo -- --mattermost <steps>` prints, run on this file's config. */
async function demo(dir: string, steps: readonly string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/demo/mattermost-demo.ts', join(dir, 'config.yml'), dir, ...steps],
    { cwd: repoRoot, env: { PATH: process.env.PATH }, timeout: 240_000 },
  );
  return stdout;
}

describe('tas-chatops start with MATTERMOST_* set (the Mattermost demo)', () => {
  let dir: string;
  let docker: Docker;
  let services: ReturnType<typeof serviceFactory>;
  let stack: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tas-start-mm-'));
    docker = await connectTestSwarm();
    services = serviceFactory(docker);
    stack = uniqueStack();
    await services.create(`${stack}_api`);
    writeFileSync(join(dir, 'config.yml'), config(stack, infraEnv().dockerHost));
  }, 60_000);
  afterAll(async () => {
    await services.removeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when alice types /tas status in the ops channel', () => {
    it('connects to the Mattermost server and posts the status of the environment there', async () => {
      const stdout = await demo(dir, ['status']);
      expect(stdout).toContain('@alice in ~prod-ops: /tas status');
      expect(stdout).toContain('the server answered: 200');
      const posted = stdout.slice(stdout.indexOf('posted in ~prod-ops:'));
      expect(posted).toMatch(/^posted in ~prod-ops:\n {4}.*prod/);
      expect(posted).toContain('api');
    }, 150_000);
  });

  describe('when alice asks for a restart and clicks Approve herself, then dave does', () => {
    it('refuses her click, restarts the service once on his and posts the verdict in the thread', async () => {
      const stdout = await demo(dir, [
        'restart api',
        '--click',
        'alice:Approve',
        '--click',
        'dave:Approve',
      ]);
      const [asked = '', own = '', approved = ''] = stdout.split(/\n@/).slice(1);
      expect(asked).toMatch(/posted in ~prod-ops:\n[\s\S]*\[ Approve \]/);
      expect(own).toMatch(/^alice clicks \[ Approve \][\s\S]*only @alice sees:/);
      expect(approved).toMatch(/^dave clicks \[ Approve \][\s\S]*edited in place in ~prod-ops/);
      expect(approved).toMatch(/\(thread reply\):\n {4}.*Verified:/);
      const spec = (await docker.getService(`${stack}_api`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
      expect(spec.Spec.TaskTemplate.ForceUpdate).toBe(1);
    }, 300_000);
  });
});
