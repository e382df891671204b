import type { ChildProcess } from 'node:child_process';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { createSwarmOperator } from '../../../src/infra/docker/swarm-operator.js';
import { createSwarmPlatform } from '../../../src/infra/docker/swarm-platform.js';
import { dockerSocketPath } from '../../support/infra.js';
import { startChild, stopChild } from '../../support/child-process.js';
import { connectTestSwarm, serviceFactory, uniqueStack } from '../docker/test-swarm.js';
import { freePort, http } from './process-support.js';

interface Inspected {
  ID: string;
  Version: { Index: number };
  Spec: {
    Name: string;
    TaskTemplate: { ForceUpdate?: number; ContainerSpec: { Image: string; Env?: string[] } };
    Mode: { Replicated: { Replicas: number } };
  };
}

describe('the socket proxy in front of the real Engine', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let proxy: ChildProcess;
  let port: number;
  let stack: string;
  let outsider: string;
  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    stack = uniqueStack();
    await factory.create(`${stack}_backend`, {
      script: 'trap "exit 0" TERM; echo "backend up"; while true; do sleep 1; done',
    });
    outsider = `${uniqueStack()}_other`;
    await factory.create(outsider);
    port = await freePort();
    const env = {
      PATH: process.env.PATH,
      LISTEN: `127.0.0.1:${port}`,
      DOCKER_SOCKET: dockerSocketPath(),
      UPDATE_SERVICE_PREFIXES: `${stack}_`,
    };
    proxy = await startChild(
      process.execPath,
      ['--import', 'tsx', 'src/infra/http/socket-proxy-main.ts'],
      'socket proxy listening',
      env,
    );
  });
  afterAll(async () => {
    await stopChild(proxy);
    await factory.removeAll();
  });

  const inspect = async (name: string) => (await docker.getService(name).inspect()) as Inspected;
  const post = (path: string, body: unknown) => http(port, path, 'POST', JSON.stringify(body));

  it('lets the bot list services and restart one through it, as its DOCKER_HOST', async () => {
    const viaProxy = createDockerClient({ host: `tcp://127.0.0.1:${port}`, timeoutMs: 10_000 });
    const platform = createSwarmPlatform({ docker: viaProxy, stack, host: 'proxy' });
    expect((await platform.listServices()).map((s) => s.name)).toEqual(['backend']);
    const before = (await inspect(`${stack}_backend`)).Spec.TaskTemplate.ForceUpdate ?? 0;
    const operator = createSwarmOperator({
      docker: viaProxy,
      stack,
      host: 'proxy',
      timeoutMs: 10_000,
    });
    await operator.apply('backend', { kind: 'restart' });
    await operator.apply('backend', { kind: 'scale', replicas: 2 });
    const after = await inspect(`${stack}_backend`);
    expect(after.Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
    expect(after.Spec.Mode.Replicated.Replicas).toBe(2);
  });

  it('answers ping, version, tasks and service logs', async () => {
    const { ID } = await inspect(`${stack}_backend`);
    expect((await http(port, '/_ping', 'HEAD')).status).toBe(200);
    expect((await http(port, '/v1.41/version')).status).toBe(200);
    expect(
      (
        await http(
          port,
          `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [ID] }))}`,
        )
      ).status,
    ).toBe(200);
    expect((await http(port, `/v1.41/services/${ID}/logs?stdout=1&stderr=1&tail=5`)).status).toBe(
      200,
    );
  });

  it('refuses everything else with 403, however the path is spelt', async () => {
    const { ID, Spec } = await inspect(`${stack}_backend`);
    const refused = [
      await post('/v1.41/services/create', { ...Spec, Name: `${stack}_evil` }),
      await http(port, `/v1.41/services/${ID}`, 'DELETE'),
      await http(port, '/v1.41/containers/json'),
      await http(port, '/v1.41/secrets'),
      await http(port, '/v1.41/info'),
      await http(port, '/v1.41/services/x/../../secrets'),
      await http(port, '/v1.41/services%2F..%2Fsecrets'),
      await http(port, '/services'),
      await post(`/v1.41/containers/${ID}/exec`, { Cmd: ['sh'] }),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 403));
    expect(JSON.parse(refused[0]?.body ?? '{}')).toEqual({
      message: 'tas-chatops socket proxy: POST /v1.41/services/create is not allowed',
    });
    await expect(docker.getService(`${stack}_evil`).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await inspect(`${stack}_backend`)).ID).toBe(ID);
  });

  it('refuses an update that changes more than the bot changes, or a service outside the prefix', async () => {
    const current = await inspect(`${stack}_backend`);
    const spec = structuredClone(current.Spec);
    spec.TaskTemplate.ContainerSpec.Env = ['PWNED=1'];
    const widened = await post(
      `/v1.41/services/${current.ID}/update?version=${current.Version.Index}`,
      spec,
    );
    expect(widened.status).toBe(403);
    expect(widened.body).toContain('changes more than ForceUpdate');
    const other = await inspect(outsider);
    const outside = await post(
      `/v1.41/services/${other.ID}/update?version=${other.Version.Index}`,
      { ...other.Spec, TaskTemplate: { ...other.Spec.TaskTemplate, ForceUpdate: 1 } },
    );
    expect(outside.status).toBe(403);
    expect(outside.body).toContain('outside the allowed prefixes');
    expect((await inspect(`${stack}_backend`)).Spec.TaskTemplate.ContainerSpec.Env).toBeUndefined();
    expect((await inspect(outsider)).Spec.TaskTemplate.ForceUpdate ?? 0).toBe(0);
  });
});
