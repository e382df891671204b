import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSwarm, serviceFactory, uniqueStack } from '../docker/test-swarm.js';
import { http } from '../production/process-support.js';
import { runSocketProxyToExit, startSocketProxy } from '../../support/proxy-process.js';

interface Inspected {
  ID: string;
  Version: { Index: number };
  Spec: { TaskTemplate: { ForceUpdate?: number } };
}

describe('the socket proxy program', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
  });
  afterAll(async () => {
    await factory.removeAll();
  });

  describe('when UPDATE_SERVICE_PREFIXES is unset or empty', () => {
    it('refuses to start, saying what to set', async () => {
      for (const env of [{}, { UPDATE_SERVICE_PREFIXES: ' , ' }]) {
        const { code, stderr } = await runSocketProxyToExit(env);
        expect(code).toBe(2);
        expect(stderr).toContain('UPDATE_SERVICE_PREFIXES is not set');
        expect(stderr).toContain('set it to * to allow every service');
      }
    });
  });

  describe('when UPDATE_SERVICE_PREFIXES is *', () => {
    it('starts and lets a restart of any service through', async () => {
      const name = `${uniqueStack()}_any`;
      const id = await factory.create(name, { replicas: 0 });
      const proxy = await startSocketProxy({ UPDATE_SERVICE_PREFIXES: '*' });
      try {
        const before = (await docker.getService(id).inspect()) as Inspected;
        const spec = structuredClone(before.Spec);
        spec.TaskTemplate.ForceUpdate = (spec.TaskTemplate.ForceUpdate ?? 0) + 1;
        const answer = await http(
          proxy.port,
          `/v1.41/services/${id}/update?version=${before.Version.Index}`,
          'POST',
          JSON.stringify(spec),
        );
        expect(answer.status).toBe(200);
        const after = (await docker.getService(id).inspect()) as Inspected;
        expect(after.Spec.TaskTemplate.ForceUpdate).toBe(spec.TaskTemplate.ForceUpdate);
      } finally {
        await proxy.stop();
      }
    });
  });
});
