import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import { eventually } from './compose-fixture.js';
import {
  rowValue,
  startPlatformHarness,
  textOf,
  type PlatformHarness,
} from './platform-harness.js';

/**
 * TAS, the fifth system, runs on Swarm: the same end-to-end path with the clients that
 * createPlatformClients picks for `platform: swarm` (as createApp does for every environment).
 */
describe('TAS on Docker Swarm, through createPlatformClients', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let stack: string;
  let h: PlatformHarness;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    stack = uniqueStack();
    await factory.create(`${stack}_backend`, {
      script: `trap "exit 0" TERM; echo '{"level":30,"msg":"backend starting"}'; echo '{"level":50,"msg":"connect ECONNREFUSED 127.0.0.1:5432"}'; while true; do sleep 1; done`,
    });
    await factory.create(`${stack}_frontend`, { replicas: 2 });
    h = await startPlatformHarness(`    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [backend, frontend]`);
  });
  afterAll(async () => {
    await h?.close();
    await factory?.removeAll();
  });

  it('reports the stack, shows the backend’s errors and restarts it after approval', async () => {
    const status = await eventually('stack running', async () => {
      const reply = await h.say('alice', '/tas status');
      return reply.verdict === 'OK' ? reply : undefined;
    });
    expect(rowValue(status, 'frontend')).toBe('2/2  1');

    await factory.untilLogged(`${stack}_backend`, 'ECONNREFUSED');
    const logs = textOf(await h.say('alice', '/tas logs backend --since 15m'));
    expect(logs).toContain('connect ECONNREFUSED 127.0.0.1:5432');

    const before = (await docker.getService(`${stack}_backend`).inspect()) as {
      Spec: { TaskTemplate: { ForceUpdate?: number } };
    };
    const { verdict } = await h.approved('/tas restart backend');
    expect(verdict.title).toMatch(/^Verified: restart backend: /);
    const after = (await docker.getService(`${stack}_backend`).inspect()) as {
      Spec: { TaskTemplate: { ForceUpdate?: number } };
    };
    expect(after.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      (before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
    );
  });
});
