import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { testImage } from '../docker/test-swarm.js';

/** test/fixtures/compose on the host, bind-mounted read-only at /compose-fixture. */
const fixtureDir = fileURLToPath(new URL('../../fixtures/compose/', import.meta.url));

export interface FixtureContainer {
  readonly service: string;
  /** A script in test/fixtures/compose/bin. */
  readonly script: string;
  readonly env?: Readonly<Record<string, string | number>>;
  /** Compose's `restart:`; `no` for one-shots. */
  readonly restart?: 'no' | 'always' | 'unless-stopped';
  /** `CMD-SHELL` test run every second. */
  readonly healthcheck?: string;
  /** The `com.docker.compose.depends_on` label: `migrate:service_completed_successfully:false`. */
  readonly dependsOn?: string;
  /** Replica number (`container-number`); 1 by default. */
  readonly number?: number;
  readonly image?: string;
  /** Wait until it has exited before creating the next (a one-shot the others depend on). */
  readonly runToCompletion?: boolean;
}

/** `tc1a2b3c4`: a Compose project name no other test uses. */
export function uniqueProject(): string {
  return `tc${randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Containers labelled the way `docker compose up` labels them, so the bot sees a Compose
 * project; `removeAll` removes every container of the project, recreated ones included.
 */
export function composeFixture(docker: Docker, project: string) {
  return {
    project,
    async create(container: FixtureContainer): Promise<string> {
      const number = container.number ?? 1;
      const created = await docker.createContainer({
        name: `${project}-${container.service}-${number}`,
        Image: container.image ?? testImage,
        Cmd: ['sh', `/compose-fixture/bin/${container.script}`],
        Env: Object.entries(container.env ?? {}).map(([key, value]) => `${key}=${value}`),
        Labels: {
          'com.docker.compose.project': project,
          'com.docker.compose.service': container.service,
          'com.docker.compose.container-number': String(number),
          'com.docker.compose.oneoff': 'False',
          'com.docker.compose.depends_on': container.dependsOn ?? '',
          'com.docker.compose.version': '2.24.7',
        },
        ...(container.healthcheck !== undefined && {
          Healthcheck: {
            Test: ['CMD-SHELL', container.healthcheck],
            Interval: 1e9,
            Timeout: 1e9,
            Retries: 2,
            StartPeriod: 0,
          },
        }),
        HostConfig: {
          NetworkMode: 'host',
          Binds: [`${fixtureDir}:/compose-fixture:ro`],
          RestartPolicy: { Name: container.restart ?? 'unless-stopped' },
        },
      });
      await created.start();
      if (container.runToCompletion === true) await created.wait();
      return created.id;
    },
    /** The project's containers, for checks on the real platform. */
    async containers(service?: string) {
      const labels = [
        `com.docker.compose.project=${project}`,
        ...(service === undefined ? [] : [`com.docker.compose.service=${service}`]),
      ];
      return (await docker.listContainers({ all: true, filters: { label: labels } })) as {
        Id: string;
        Names: string[];
        Image: string;
        State: string;
      }[];
    },
    async inspect(service: string) {
      const [first] = await this.containers(service);
      if (first === undefined) throw new Error(`${project}: no container for ${service}`);
      return (await docker.getContainer(first.Id).inspect()) as unknown as {
        Id: string;
        Name: string;
        Config: { Image: string; Env: string[]; Labels: Record<string, string> };
        State: { StartedAt: string; Status: string; Health?: { Status: string } };
        HostConfig: { NetworkMode: string; Binds: string[] };
      };
    },
    async removeAll(): Promise<void> {
      const all = await this.containers();
      await Promise.all(
        all.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    },
  };
}

export type ComposeFixture = ReturnType<typeof composeFixture>;

/** Polls until `check` holds; fails naming what it waited for. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs}ms${last === undefined ? '' : ` (${last instanceof Error ? last.message : JSON.stringify(last)})`}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
