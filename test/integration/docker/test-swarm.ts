import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { infraEnv } from '../../support/infra.js';

/**
 * The real swarm the integration tests run against: `DOCKER_HOST` as exported by `npm test`
 * (or `.infra/env`). Missing or unreachable is a failure naming what was expected, never a skip.
 */
export function testDockerHost(): string {
  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return infraEnv().dockerHost;
}

/** The fixture image (a BusyBox rootfs) every test service runs. */
export const testImage = process.env.TAS_TEST_IMAGE ?? 'tas-fixture:1';

export async function connectTestSwarm(): Promise<Docker> {
  const host = testDockerHost();
  const docker = createDockerClient({ host, timeoutMs: 10_000 });
  try {
    const info = (await docker.info()) as {
      Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
    };
    if (info.Swarm?.LocalNodeState !== 'active' || info.Swarm.ControlAvailable !== true) {
      throw new Error(`it is not a swarm manager (Swarm: ${JSON.stringify(info.Swarm)})`);
    }
    await docker.getImage(testImage).inspect();
  } catch (error) {
    throw new Error(
      `Integration tests need a swarm manager at DOCKER_HOST=${host} with the image ${testImage} ` +
        `(set TAS_TEST_IMAGE for another one); run \`npm test\`, which provisions both: ${String(error)}`,
    );
  }
  return docker;
}

/** `t1a2b3c4d`: a stack namespace no other test and no real stack uses. */
export function uniqueStack(): string {
  return `t${randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

export interface TestServiceOptions {
  readonly script?: string;
  readonly replicas?: number;
  readonly tty?: boolean;
  readonly restartDelayMs?: number;
  readonly labels?: Record<string, string>;
}

/** Tracks what a test file creates so afterEach removes exactly that and nothing else. */
export function serviceFactory(docker: Docker) {
  const created: string[] = [];
  return {
    async create(name: string, options: TestServiceOptions = {}): Promise<string> {
      const service = await docker.createService({
        Name: name,
        Labels: options.labels ?? {},
        TaskTemplate: {
          ContainerSpec: {
            Image: testImage,
            // A TERM trap keeps scale-downs and removals quick (no 10 s grace period).
            Args: [
              'sh',
              '-c',
              options.script ?? 'trap "exit 0" TERM; while true; do sleep 1; done',
            ],
            ...(options.tty === true ? { TTY: true } : {}),
          },
          RestartPolicy: { Condition: 'any', Delay: (options.restartDelayMs ?? 1000) * 1_000_000 },
          // Host networking only: the test daemon runs without bridges or ingress.
          Networks: [{ Target: 'host' }],
        },
        Mode: { Replicated: { Replicas: options.replicas ?? 1 } },
      });
      created.push(service.id);
      return service.id;
    },
    async scale(id: string, replicas: number): Promise<void> {
      const service = docker.getService(id);
      const info = (await service.inspect()) as {
        Version: { Index: number };
        Spec: { Mode: { Replicated: { Replicas: number } } };
      };
      info.Spec.Mode.Replicated.Replicas = replicas;
      await service.update({ _query: { version: info.Version.Index }, _body: info.Spec });
    },
    /** Waits until the service's log holds `marker`, so a test reading its logs sees every line. */
    async untilLogged(idOrName: string, marker: string, timeoutMs = 90_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const logs = (await docker
          .getService(idOrName)
          .logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
        if (Buffer.from(logs).toString('utf8').includes(marker)) return;
        if (Date.now() > deadline)
          throw new Error(
            `${idOrName} did not log ${JSON.stringify(marker)} within ${timeoutMs} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async removeAll(): Promise<void> {
      const ids = created.splice(0);
      await Promise.all(
        ids.map((id) =>
          docker
            .getService(id)
            .remove()
            .catch((error: unknown) => {
              if ((error as { statusCode?: number }).statusCode !== 404) throw error;
            }),
        ),
      );
    },
  };
}
