import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-config.js';
import type { ContainerPlatform } from '../../../src/core/ports/container-platform.js';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { createSwarmPlatform } from '../../../src/infra/docker/swarm-platform.js';
import { coldPlatformFor } from '../../../src/infra/engine-http/cold-platform-for.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

let docker: Docker;
let services: ReturnType<typeof serviceFactory>;

beforeAll(async () => {
  docker = await connectTestSwarm();
  services = serviceFactory(docker);
});

afterEach(async () => {
  await services.removeAll();
});

/** The platform `check` and `run` use for one Swarm environment on `host`. */
function coldPlatform(host: string, stack: string): ContainerPlatform {
  const loaded = parseConfig(
    `people: { alice: {} }
roles: { oncall: [alice] }
environments:
  env:
    platform: swarm
    stack: ${stack}
    docker: { host: "${host}", timeout: 5s }
    services: [api]
    policy: { read: [oncall] }
`,
    {},
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  return coldPlatformFor(loaded.value.config)('env');
}

/** The long-running bot's platform for the same stack: dockerode. */
function dockerodePlatform(host: string, stack: string): ContainerPlatform {
  return createSwarmPlatform({
    docker: createDockerClient({ host, timeoutMs: 5000 }),
    stack,
    host,
    timeoutMs: 5000,
  });
}

async function failureOf(work: Promise<unknown>): Promise<Error> {
  return work.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

describe('coldPlatformFor', () => {
  describe('when a Swarm stack is listed', () => {
    it('shows the services, replicas and tasks that dockerode shows', async () => {
      const stack = uniqueStack();
      // One deployed as `docker stack deploy` does (its tasks found by the namespace label), one
      // created by hand (its tasks found by service id).
      await services.create(`${stack}_api`, {
        replicas: 2,
        labels: { 'com.docker.stack.namespace': stack },
      });
      await services.create(`${stack}_worker`);

      // New tasks move through their states: compare once the stack holds still.
      let cold = await coldPlatform(testDockerHost(), stack).listServices();
      let bot = await dockerodePlatform(testDockerHost(), stack).listServices();
      for (let attempt = 0; attempt < 60 && !isDeepStrictEqual(cold, bot); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        cold = await coldPlatform(testDockerHost(), stack).listServices();
        bot = await dockerodePlatform(testDockerHost(), stack).listServices();
      }

      expect(cold.map((s) => [s.name, s.desired])).toEqual([
        ['api', 2],
        ['worker', 1],
      ]);
      expect(cold).toEqual(bot);
    });
  });

  describe('when a service log is read', () => {
    it('streams the bytes the service wrote', async () => {
      const stack = uniqueStack();
      await services.create(`${stack}_api`, { script: 'echo cold-start-log-line; sleep 600' });
      const platform = coldPlatform(testDockerHost(), stack);
      let text = '';
      for (let attempt = 0; attempt < 50 && !text.includes('cold-start-log-line'); attempt += 1) {
        const [service] = await platform.listServices();
        const source = await platform.streamLogs(service!, {});
        for await (const chunk of source.chunks) text += Buffer.from(chunk).toString();
        if (!text.includes('cold-start-log-line')) await new Promise((r) => setTimeout(r, 200));
      }
      expect(text).toContain('cold-start-log-line');
    });
  });

  describe('when the Engine is not there', () => {
    it('says so in the words the bot uses', async () => {
      const host = `unix:///tmp/no-engine-${uniqueStack()}.sock`;
      const cold = await failureOf(coldPlatform(host, 'prod').listServices());
      const bot = await failureOf(dockerodePlatform(host, 'prod').listServices());
      expect(cold.name).toBe('DependencyError');
      expect(cold.message).toContain('is unreachable (ENOENT)');
      expect(cold.message).toBe(bot.message);
    });
  });

  describe('when a socket proxy refuses the listing', () => {
    let proxy: Server;
    let host: string;
    beforeAll(async () => {
      proxy = createServer((_, response) => {
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end('{"message":"request denied by the proxy"}');
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      host = `tcp://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    it('names the refusal in the words the bot uses', async () => {
      const cold = await failureOf(coldPlatform(host, 'prod').listServices());
      const bot = await failureOf(dockerodePlatform(host, 'prod').listServices());
      expect(cold.message).toContain('refused GET /services (403 Forbidden)');
      expect(cold.message).toBe(bot.message);
    });
  });
});
