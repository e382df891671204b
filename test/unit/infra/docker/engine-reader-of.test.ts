import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { createDockerClient } from '../../../../src/infra/docker/create-docker-client.js';
import { engineReaderOf } from '../../../../src/infra/docker/engine-reader-of.js';
import { createSwarmPlatform } from '../../../../src/infra/docker/swarm-platform.js';
import { engineService, engineTask } from './engine-fixtures.js';
import { json, startStubEngine } from './stub-engine.js';

type Engine = Awaited<ReturnType<typeof startStubEngine>>;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('engineReaderOf', () => {
  describe('when the client is the one createDockerClient builds', () => {
    it('lists on the same Engine through the client’s kept-alive connection', async () => {
      engine = await startStubEngine({
        '/services': (_req, res) => json(res, 200, [engineService('prod_backend')]),
        '/tasks': (_req, res) => json(res, 200, [engineTask('id-prod_backend', { id: 't1' })]),
      });
      const docker = createDockerClient({ host: engine.host, timeoutMs: 2000 });
      const platform = createSwarmPlatform({ docker, stack: 'prod', host: engine.host });

      await platform.listServices();
      const [backend] = await platform.listServices();

      expect(backend?.tasks.map((t) => t.id)).toEqual(['t1']);
      expect(engine.requests).toHaveLength(4);
      // One after another, every request of both listings went over one connection.
      expect(engine.sockets.size).toBe(1);
    });
  });

  describe('when the client is not dockerode’s', () => {
    it('reads through the client itself', () => {
      const client = {
        listServices: () => Promise.resolve([]),
        listTasks: () => Promise.resolve([]),
      };

      expect(engineReaderOf(client as unknown as Docker)).toBe(client);
    });
  });
});
