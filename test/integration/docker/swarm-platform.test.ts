import type Docker from 'dockerode';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../src/core/errors.js';
import type {
  ContainerPlatform,
  ServiceState,
} from '../../../src/core/ports/container-platform.js';
import { detectRestartLoop } from '../../../src/diagnostics/status/detect-restart-loop.js';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { createSwarmPlatform } from '../../../src/infra/docker/swarm-platform.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  testImage,
  uniqueStack,
} from './test-swarm.js';

let docker: Docker;
let services: ReturnType<typeof serviceFactory>;

beforeAll(async () => {
  docker = await connectTestSwarm();
  services = serviceFactory(docker);
});

afterEach(async () => {
  await services.removeAll();
});

function platformFor(stack: string): ContainerPlatform {
  return createSwarmPlatform({ docker, stack, host: testDockerHost(), timeoutMs: 10_000 });
}

async function serviceNamed(
  platform: ContainerPlatform,
  name: string,
): Promise<ServiceState | undefined> {
  return (await platform.listServices()).find((service) => service.name === name);
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Splits the Engine's multiplexed stream into [stream type, payload] frames. */
function frames(bytes: Buffer): [number, string][] {
  const out: [number, string][] = [];
  for (let offset = 0; offset + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(offset + 4);
    out.push([bytes[offset]!, bytes.subarray(offset + 8, offset + 8 + size).toString()]);
    offset += 8 + size;
  }
  return out;
}

describe('createSwarmPlatform on a real swarm', () => {
  it('lists only services whose name is exactly <stack>_<name>', async () => {
    const stack = uniqueStack();
    await services.create(`${stack}_api`);
    await services.create(`${stack}_api2`);
    await services.create(`${stack}y_api`);
    // Another stack whose namespace merely starts with ours.
    await services.create(`${stack}_z_api`, {
      labels: { 'com.docker.stack.namespace': `${stack}_z` },
    });

    const listed = await platformFor(stack).listServices();

    expect(listed.map((s) => [s.name, s.fullName])).toEqual([
      ['api', `${stack}_api`],
      ['api2', `${stack}_api2`],
    ]);
    expect(listed[0]).toMatchObject({
      image: testImage,
      imageTag: testImage.split(':')[1],
      mode: 'replicated',
      tty: false,
    });
    expect(listed[0]?.version).toBeGreaterThan(0);
  });

  it('reports desired and running replicas, and a service scaled to 0', async () => {
    const stack = uniqueStack();
    const id = await services.create(`${stack}_web`, { replicas: 2 });
    const platform = platformFor(stack);

    await expect
      .poll(async () => (await serviceNamed(platform, 'web'))?.running, { timeout: 30_000 })
      .toBe(2);
    const web = await serviceNamed(platform, 'web');
    expect(web).toMatchObject({ desired: 2, running: 2 });
    expect(
      web?.tasks
        .filter((t) => t.state === 'running')
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2]);

    await services.scale(id, 0);

    await expect
      .poll(
        async () => {
          const scaled = await serviceNamed(platform, 'web');
          return [scaled?.desired, scaled?.running];
        },
        { timeout: 30_000 },
      )
      .toEqual([0, 0]);
  });

  it('reports the tasks of a stack deployed with its label, and of a service added by hand', async () => {
    const stack = uniqueStack();
    // `docker stack deploy` labels every service (and so its tasks) with the namespace; from the
    // second listing on, the tasks are asked for by that label.
    const labels = { 'com.docker.stack.namespace': stack };
    await services.create(`${stack}_web`, { replicas: 2, labels });
    await services.create(`${stack}_api`, { labels });
    const platform = platformFor(stack);
    const running = async () =>
      (await platform.listServices()).map((s) => [
        s.name,
        s.running,
        s.tasks.filter((t) => t.state === 'running').length,
      ]);

    await expect.poll(running, { timeout: 30_000 }).toEqual([
      ['api', 1, 1],
      ['web', 2, 2],
    ]);
    await services.create(`${stack}_worker`);
    await expect.poll(running, { timeout: 30_000 }).toEqual([
      ['api', 1, 1],
      ['web', 2, 2],
      ['worker', 1, 1],
    ]);
  });

  it('sees a restart loop in a service whose command exits 1', async () => {
    const stack = uniqueStack();
    await services.create(`${stack}_cron`, {
      script: 'echo starting; exit 1',
      restartDelayMs: 1000,
    });
    const platform = platformFor(stack);

    let cron: ServiceState | undefined;
    await expect
      .poll(
        async () => {
          cron = await serviceNamed(platform, 'cron');
          return detectRestartLoop(cron?.tasks ?? [], {
            failures: 3,
            windowMs: 600_000,
            now: new Date(),
          }).inLoop;
        },
        { timeout: 45_000, interval: 1000 },
      )
      .toBe(true);

    const failed = cron!.tasks.filter((t) => t.state === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]).toMatchObject({
      desiredState: 'shutdown',
      error: 'task: non-zero exit (1)',
      exitCode: 1,
    });
    expect(
      detectRestartLoop(cron!.tasks, { failures: 3, windowMs: 600_000, now: new Date() }).lastError,
    ).toBe('task: non-zero exit (1)');
  });

  describe('streamLogs', () => {
    it('streams a non-TTY service as multiplexed frames with timestamps and task ids, and ends', async () => {
      const stack = uniqueStack();
      await services.create(`${stack}_plain`, {
        script:
          'trap "exit 0" TERM; for i in 1 2 3; do echo "out $i"; echo "err $i" >&2; done; while true; do sleep 1; done',
      });
      const platform = platformFor(stack);
      await expect
        .poll(async () => (await serviceNamed(platform, 'plain'))?.running, { timeout: 30_000 })
        .toBe(1);
      const plain = (await serviceNamed(platform, 'plain'))!;

      let decoded: [number, string][] = [];
      await expect
        .poll(
          async () => {
            const source = await platform.streamLogs(plain, {});
            expect(source.framing).toBe('multiplexed');
            decoded = frames(await readAll(source.chunks));
            return decoded.length;
          },
          { timeout: 20_000 },
        )
        .toBe(6);

      expect(
        decoded.map(([type, text]) => [type, text.replace(/^\S+ com\.docker\.\S+ /, '')]),
      ).toEqual(
        expect.arrayContaining([
          [1, 'out 1\n'],
          [2, 'err 1\n'],
          [1, 'out 3\n'],
          [2, 'err 3\n'],
        ]),
      );
      expect(decoded[0]?.[1]).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \S*com\.docker\.swarm\.task\.id=\w+ /,
      );

      const tail = await platform.streamLogs(plain, { tail: 2 });
      expect(frames(await readAll(tail.chunks))).toHaveLength(2);
    });

    it('streams a TTY service raw', async () => {
      const stack = uniqueStack();
      await services.create(`${stack}_tty`, {
        tty: true,
        script: 'trap "exit 0" TERM; echo "tty 5"; while true; do sleep 1; done',
      });
      const platform = platformFor(stack);
      await expect
        .poll(async () => (await serviceNamed(platform, 'tty'))?.running, { timeout: 30_000 })
        .toBe(1);
      const tty = (await serviceNamed(platform, 'tty'))!;
      expect(tty.tty).toBe(true);

      let text = '';
      await expect
        .poll(
          async () => {
            const source = await platform.streamLogs(tty, {});
            expect(source.framing).toBe('raw');
            text = (await readAll(source.chunks)).toString();
            return text.includes('tty 5');
          },
          { timeout: 20_000 },
        )
        .toBe(true);

      expect(text).toMatch(/^\d{4}-\d\d-\d\dT\S+Z \S*com\.docker\.swarm\.task\.id=\w+ tty 5\r\n/);
    });
  });

  describe('when Docker is unreachable', () => {
    it('fails with a DependencyError naming the socket, without waiting for the client timeout', async () => {
      const host = `unix:///tmp/${uniqueStack()}/docker.sock`;
      const platform = createSwarmPlatform({
        docker: createDockerClient({ host, timeoutMs: 10_000 }),
        stack: 'prod',
        host,
      });

      const error = await platform.listServices().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DependencyError);
      expect((error as DependencyError).message).toContain(
        `Docker at ${host} is unreachable (ENOENT)`,
      );
    });
  });
});
