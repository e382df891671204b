import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

const run = promisify(execFile);

async function cli(config: string, ...args: string[]) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    env: { PATH: process.env.PATH, TAS_CHATOPS_CONFIG: config, LOG_LEVEL: 'warn' },
  });
  return stdout;
}

describe('tas-chatops run "/tas logs" on a service with more lines than a chat message holds', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let config: string;
  let stack: string;
  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    stack = uniqueStack();
    await factory.create(`${stack}_chatty`, {
      script:
        'i=0; while [ $i -lt 120 ]; do echo "chatty line $i"; i=$((i+1)); done; ' +
        'trap "exit 0" TERM; while true; do sleep 1; done',
    });
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
    services: [chatty]
    policy: { read: [oncall] }
`,
    );
    // The service has printed its last line once the Engine shows it.
    for (let i = 0; i < 120; i += 1) {
      const logs = await docker
        .getService(`${stack}_chatty`)
        .logs({ stdout: true, stderr: true, follow: false });
      if (Buffer.isBuffer(logs) && logs.toString('utf8').includes('chatty line 119')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
  afterAll(async () => {
    await factory.removeAll();
  });

  describe('when the reply carries the whole excerpt as an attachment', () => {
    it('saves it to a file and prints where, the file holding the last line', async () => {
      const stdout = await cli(config, 'run', '--as', 'ops', '/tas logs chatty');
      const saved = /saved to (\S+)/.exec(stdout)?.[1];
      expect(saved, stdout).toBeDefined();
      expect(saved).toContain('shop-chatty-logs.txt');
      expect(readFileSync(saved!, 'utf8')).toContain('chatty line 119');
      rmSync(saved!);
    });
  });
});
