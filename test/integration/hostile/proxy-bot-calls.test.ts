import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { createSwarmOperator } from '../../../src/infra/docker/swarm-operator.js';
import { connectTestSwarm, serviceFactory, uniqueStack } from '../docker/test-swarm.js';
import { startSocketProxy, type RunningProxy } from '../../support/proxy-process.js';

interface Inspected {
  Version: { Index: number };
  Spec: {
    TaskTemplate: { ForceUpdate?: number; ContainerSpec: { Image: string; Env?: string[] } };
  };
}

describe('the bot’s own calls through the socket proxy', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let proxy: RunningProxy;
  const stack = uniqueStack();
  const name = `${stack}_backend`;
  const inspect = async () => (await docker.getService(name).inspect()) as Inspected;
  const operator = () =>
    createSwarmOperator({
      docker: createDockerClient({ host: `tcp://127.0.0.1:${proxy.port}`, timeoutMs: 10_000 }),
      stack,
      host: 'proxy',
      timeoutMs: 10_000,
    });
  /** A change straight through the Engine, as an operator with the real socket would make it. */
  const direct = async (change: (spec: Inspected['Spec']) => void) => {
    const current = await inspect();
    change(current.Spec);
    await docker
      .getService(name)
      .update({ _query: { version: current.Version.Index }, _body: current.Spec });
  };

  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    await factory.create(name, { replicas: 0 });
    proxy = await startSocketProxy({ UPDATE_SERVICE_PREFIXES: `${stack}_` });
  });
  afterAll(async () => {
    await proxy?.stop();
    await factory.removeAll();
  });

  describe('when the bot restarts, changes the tag and rolls back', () => {
    it('applies each as the Engine shows', async () => {
      const before = await inspect();
      await operator().apply('backend', { kind: 'restart' });
      expect((await inspect()).Spec.TaskTemplate.ForceUpdate).toBe(
        (before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
      );
      await operator().apply('backend', { kind: 'image', image: 'tas-fixture:2' });
      expect((await inspect()).Spec.TaskTemplate.ContainerSpec.Image).toBe('tas-fixture:2');
      // The target recorded at plan time, as the worker sends it.
      await operator().apply('backend', { kind: 'rollback', target: { image: 'tas-fixture:1' } });
      expect((await inspect()).Spec.TaskTemplate.ContainerSpec.Image).toBe('tas-fixture:1');
    });
  });

  describe('when the PreviousSpec was planted with an env var the current spec dropped', () => {
    it('rolls back to the previous image only, and a raw rollback=previous is refused', async () => {
      await direct((spec) => {
        spec.TaskTemplate.ContainerSpec.Env = ['PLANTED=1'];
        spec.TaskTemplate.ContainerSpec.Image = 'tas-fixture:2';
      });
      await direct((spec) => {
        delete spec.TaskTemplate.ContainerSpec.Env;
        spec.TaskTemplate.ContainerSpec.Image = 'tas-fixture:1';
      });
      const planted = await inspect();
      const raw = await fetch(
        `http://127.0.0.1:${proxy.port}/v1.41/services/${name}/update?version=${planted.Version.Index}&rollback=previous`,
        { method: 'POST', body: JSON.stringify(planted.Spec) },
      );
      expect(raw.status).toBe(403);
      const { message } = (await raw.json()) as { message: string };
      expect(message).toContain(
        '"rollback=previous" is not allowed: the bot rolls back by an explicit update',
      );
      expect((await inspect()).Version.Index).toBe(planted.Version.Index);
      await operator().apply('backend', { kind: 'rollback', target: { image: 'tas-fixture:2' } });
      const after = await inspect();
      expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe('tas-fixture:2');
      expect(after.Spec.TaskTemplate.ContainerSpec.Env).toBeUndefined();
    });
  });
});
