import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

const run = promisify(execFile);

async function cli(config: string, ...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
      env: { PATH: process.env.PATH, TAS_CHATOPS_CONFIG: config, LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('tas-chatops run --json "/tas status" on a stack it has never seen', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let config: string;
  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    const stack = uniqueStack();
    await factory.create(`${stack}_api`, { replicas: 2 });
    await factory.create(`${stack}_queue-worker`, {
      script: 'echo "fatal: cannot reach broker"; exit 2',
      restartDelayMs: 200,
    });
    await factory.create(`${stack}_db`, { replicas: 0 });
    const port = await freePort();
    config = join(mkdtempSync(join(tmpdir(), 'tas-cli-')), 'config.yml');
    writeFileSync(
      config,
      `people: { ops: {} }
roles: { oncall: [ops] }
environments:
  shop:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [queue-worker, api, db]
    probes:
      - { name: checkout, url: "http://127.0.0.1:${port}/health", timeout: 2s }
    policy: { read: [oncall] }
`,
    );
    // Let the worker fail a few times so the loop is visible in its task history.
    for (let i = 0; i < 60; i += 1) {
      const tasks = (await docker.listTasks({
        filters: { service: [`${stack}_queue-worker`] },
      })) as { Status: { State: string } }[];
      if (tasks.filter((t) => t.Status.State === 'failed').length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
  afterAll(async () => {
    await factory.removeAll();
  });

  it('reports each fault by name: restart loop, scaled to zero, probe refused', async () => {
    const { code, stdout } = await cli(config, 'run', '--as', 'ops', '--json', '/tas status');
    expect(code).toBe(0);
    const reply = JSON.parse(stdout) as {
      verdict: string;
      data: {
        services: { name: string; health: string; issue?: string }[];
        probes: { name: string; outcome: string; detail: string }[];
      };
    };
    expect(reply.verdict).toBe('DOWN');
    const byName = Object.fromEntries(reply.data.services.map((s) => [s.name, s]));
    expect(byName.api).toMatchObject({ health: 'ok' });
    expect(byName['queue-worker']?.issue).toBe('restart-loop');
    expect(byName.db).toMatchObject({ health: 'stopped', issue: 'scaled-to-zero' });
    expect(reply.data.probes).toEqual([
      expect.objectContaining({
        name: 'checkout',
        outcome: 'error',
        detail: expect.stringContaining('ECONNREFUSED') as string,
      }),
    ]);
  });

  it('answers a misspelt service with "did you mean" and exits non-zero', async () => {
    const { code, stdout } = await cli(config, 'run', '--as', 'ops', '/tas logs queue-wroker');
    expect(code).toBe(1);
    expect(stdout).toContain(
      'There is no service `queue-wroker` in `shop`. Did you mean `queue-worker`?',
    );
  });

  it('lists every config problem at once and exits non-zero', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'tas-cli-')), 'bad.yml');
    writeFileSync(
      broken,
      'people: { ops: {} }\nroles: { oncall: [ops, nobody] }\nenvironments:\n  shop: { platform: swarm, stack: s, services: [a, a], policy: { read: [oncall, ghosts] }, watch: { every: soon } }\n',
    );
    const { code, stderr } = await cli(broken, 'check');
    expect(code).toBe(1);
    expect(stderr).toMatch(/roles\.oncall\[1\]/);
    expect(stderr).toMatch(/ghosts/);
    expect(stderr).toMatch(/environments\.shop\.watch\.every/);
    expect(stderr).toMatch(/duplicate|twice/i);
  });
});
