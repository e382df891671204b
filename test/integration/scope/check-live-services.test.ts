import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runBot } from '../production/process-support.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

function writeConfig(stack: string, host: string, services: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tas-scope-')), 'config.yml');
  writeFileSync(
    file,
    `people: { alice: {} }
roles: { oncall: [alice] }
environments:
  shop:
    platform: swarm
    stack: ${stack}
    docker: { host: "${host}" }
    services: [${services}]
    policy: { read: [oncall] }
`,
  );
  return file;
}

describe('tas-chatops check, comparing services with the live stack', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let stack: string;
  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    stack = uniqueStack();
    await factory.create(`${stack}_api`);
  });
  afterAll(async () => {
    await factory.removeAll();
  });

  describe('when a listed service is not in the stack', () => {
    it('passes and warns about that service only', async () => {
      const config = writeConfig(stack, testDockerHost(), 'api, ghost');

      const result = await runBot(['check'], {
        PATH: process.env.PATH,
        TAS_CHATOPS_CONFIG: config,
      });

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('✓');
      expect(result.stdout).toContain(
        `⚠ environments.shop.services: "ghost" is listed but not found in stack ${stack}`,
      );
      expect(result.stdout).not.toContain('"api"');
    });
  });

  describe('when the Engine cannot be reached', () => {
    it('passes and says it could not compare', async () => {
      const config = writeConfig(stack, `tcp://127.0.0.1:${await freePort()}`, 'api, ghost');

      const result = await runBot(['check'], {
        PATH: process.env.PATH,
        TAS_CHATOPS_CONFIG: config,
      });

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`· shop: could not compare services with stack ${stack}`);
      expect(result.stdout).not.toContain('⚠');
    });
  });
});
