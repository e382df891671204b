import { afterEach, describe, expect, it, vi } from 'vitest';
import { DependencyError, UserError } from '../../../../src/core/errors.js';
import type { ServiceState } from '../../../../src/core/ports/container-platform.js';
import { createDockerClient } from '../../../../src/infra/docker/create-docker-client.js';
import { createSwarmPlatform } from '../../../../src/infra/docker/swarm-platform.js';
import { engineService, engineTask } from './engine-fixtures.js';
import type { ServerResponse } from 'node:http';
import { frame, json, startStubEngine, type RecordedRequest } from './stub-engine.js';

type Engine = Awaited<ReturnType<typeof startStubEngine>>;
let engine: Engine | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await engine?.close();
  engine = undefined;
});

async function platformOn(
  routes: Parameters<typeof startStubEngine>[0],
  stack = 'prod',
  timeoutMs = 2000,
) {
  engine = await startStubEngine(routes);
  const docker = createDockerClient({ host: engine.host, timeoutMs });
  return { engine, platform: createSwarmPlatform({ docker, stack, host: engine.host, timeoutMs }) };
}

function filtersOf(query: URLSearchParams): unknown {
  return JSON.parse(query.get('filters') ?? 'null');
}

describe('createSwarmPlatform', () => {
  describe('listServices', () => {
    it('asks for the services by the stack name prefix, without status, then their tasks by id', async () => {
      const { engine, platform } = await platformOn({
        '/services': (_req, res) =>
          json(res, 200, [engineService('prod_backend'), engineService('prod_frontend')]),
        '/tasks': (_req, res) => json(res, 200, []),
      });

      await platform.listServices();

      expect(engine.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /v1.41/services',
        'GET /v1.41/tasks',
      ]);
      const [services, tasks] = engine.requests;
      // The counts come from the tasks the listing reads anyway (serviceStatusOf).
      expect(services?.query.has('status')).toBe(false);
      expect(filtersOf(services!.query)).toEqual({ name: ['prod_'] });
      expect(filtersOf(tasks!.query)).toEqual({ service: ['id-prod_backend', 'id-prod_frontend'] });
    });

    describe('when the previous listing found every service with the stack label', () => {
      // What the Engine answers: a label filter finds the tasks of labelled services only.
      const stackTasks = (req: RecordedRequest, res: ServerResponse) => {
        const filters = filtersOf(req.query) as { service?: string[] };
        json(
          res,
          200,
          filters.service === undefined
            ? [engineTask('B', { id: 'b1' }), engineTask('F', { id: 'f1' })]
            : filters.service.map((id) => engineTask(id, { id: `${id.toLowerCase()}1` })),
        );
      };

      it('asks for the tasks by the stack label at the same time as the services', async () => {
        const { engine, platform } = await platformOn({
          '/services': (_req, res) =>
            json(res, 200, [
              engineService('prod_backend', { id: 'B', namespace: 'prod' }),
              engineService('prod_frontend', { id: 'F', namespace: 'prod' }),
            ]),
          '/tasks': stackTasks,
        });
        await platform.listServices();
        engine.requests.length = 0;

        const listed = await platform.listServices();

        expect(listed.map((s) => [s.name, s.tasks.map((t) => t.id)])).toEqual([
          ['backend', ['b1']],
          ['frontend', ['f1']],
        ]);
        expect(engine.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
          'GET /v1.41/services',
          'GET /v1.41/tasks',
        ]);
        const tasks = engine.requests.find((r) => r.path.endsWith('/tasks'));
        expect(filtersOf(tasks!.query)).toEqual({ label: ['com.docker.stack.namespace=prod'] });
      });

      it('asks for the tasks of a service without the label by its id, and by id from then on', async () => {
        let listings = 0;
        const { engine, platform } = await platformOn({
          '/services': (_req, res) => {
            listings += 1;
            json(res, 200, [
              engineService('prod_backend', { id: 'B', namespace: 'prod' }),
              engineService('prod_frontend', { id: 'F', namespace: 'prod' }),
              ...(listings > 1 ? [engineService('prod_worker', { id: 'W' })] : []),
            ]);
          },
          '/tasks': stackTasks,
        });
        await platform.listServices();
        engine.requests.length = 0;
        const taskQueries = () =>
          engine.requests.filter((r) => r.path.endsWith('/tasks')).map((r) => filtersOf(r.query));

        const listed = await platform.listServices();

        expect(listed.map((s) => [s.name, s.tasks.map((t) => t.id)])).toEqual([
          ['backend', ['b1']],
          ['frontend', ['f1']],
          ['worker', ['w1']],
        ]);
        expect(taskQueries()).toEqual([
          { label: ['com.docker.stack.namespace=prod'] },
          { service: ['W'] },
        ]);
        engine.requests.length = 0;
        await platform.listServices();
        expect(taskQueries()).toEqual([{ service: ['B', 'F', 'W'] }]);
      });
    });

    it('lists only services whose name is exactly <stack>_<name> of this stack', async () => {
      const { platform } = await platformOn({
        // What a prefix filter can return: another stack whose name starts like ours, and a
        // service named like ours but deployed into that other stack.
        '/services': (_req, res) =>
          json(res, 200, [
            engineService('prod_backend', { namespace: 'prod' }),
            engineService('prod_api2'),
            engineService('prod_x_api', { namespace: 'prod_x' }),
            engineService('prod2_backend', { namespace: 'prod2' }),
            engineService('prod_'),
          ]),
        '/tasks': (_req, res) => json(res, 200, []),
      });

      const services = await platform.listServices();

      expect(services.map((s) => [s.name, s.fullName])).toEqual([
        ['api2', 'prod_api2'],
        ['backend', 'prod_backend'],
      ]);
    });

    it('does not ask for tasks when the stack has no services', async () => {
      const { engine, platform } = await platformOn({
        '/services': (_req, res) => json(res, 200, []),
      });
      await expect(platform.listServices()).resolves.toEqual([]);
      expect(engine.requests).toHaveLength(1);
    });

    it('maps replicas, image tag, TTY, update status and version from the Engine', async () => {
      const { platform } = await platformOn({
        '/services': (_req, res) =>
          json(res, 200, [
            engineService('prod_backend', {
              id: 'svc1',
              replicas: 2,
              running: 2,
              tty: true,
              index: 32,
              update: { State: 'updating', Message: 'update in progress' },
            }),
          ]),
        '/tasks': (_req, res) =>
          json(res, 200, [
            engineTask('svc1', { id: 't1', slot: 1, createdAt: '2026-12-01T08:00:00Z' }),
            engineTask('svc1', { id: 't2', slot: 2, createdAt: '2026-12-01T08:03:00Z' }),
          ]),
      });

      const [backend] = await platform.listServices();

      expect(backend).toMatchObject<Partial<ServiceState>>({
        id: 'svc1',
        name: 'backend',
        image: 'registry.example:5000/tas/backend:5.15.2',
        imageTag: '5.15.2',
        desired: 2,
        running: 2,
        mode: 'replicated',
        update: { state: 'updating', message: 'update in progress' },
        tty: true,
        version: 32,
      });
      expect(backend?.tasks.map((t) => t.id)).toEqual(['t2', 't1']);
    });

    it('groups tasks by service, newest first', async () => {
      const { platform } = await platformOn({
        '/services': (_req, res) =>
          json(res, 200, [
            engineService('prod_a', { id: 'A' }),
            engineService('prod_b', { id: 'B' }),
          ]),
        '/tasks': (_req, res) =>
          json(res, 200, [
            engineTask('A', { id: 'a-old', createdAt: '2026-12-01T08:00:00Z' }),
            engineTask('B', { id: 'b-1', createdAt: '2026-12-01T08:01:00Z' }),
            engineTask('A', { id: 'a-new', createdAt: '2026-12-01T08:02:00Z' }),
          ]),
      });

      const services = await platform.listServices();

      expect(services.map((s) => [s.name, s.tasks.map((t) => t.id)])).toEqual([
        ['a', ['a-new', 'a-old']],
        ['b', ['b-1']],
      ]);
    });

    it('counts the desired and running tasks of a global service from its tasks', async () => {
      // What `GET /services` without status answers: no ServiceStatus.
      const agentService = { ...engineService('prod_agent', { global: true }) };
      delete agentService.ServiceStatus;
      const { platform } = await platformOn({
        '/services': (_req, res) => json(res, 200, [agentService]),
        '/tasks': (_req, res) =>
          json(
            res,
            200,
            [1, 2, 3].map((n) => engineTask('id-prod_agent', { id: `t${n}` })),
          ),
      });

      const [agent] = await platform.listServices();

      expect(agent).toMatchObject({ mode: 'global', desired: 3, running: 3 });
    });

    it('never reports more running replicas than it saw running tasks', async () => {
      const { platform } = await platformOn({
        '/services': (_req, res) => json(res, 200, [engineService('prod_backend', { running: 1 })]),
        '/tasks': (_req, res) =>
          json(res, 200, [
            engineTask('id-prod_backend', {
              state: 'failed',
              err: 'task: non-zero exit (1)',
              exitCode: 1,
            }),
          ]),
      });

      const [backend] = await platform.listServices();

      expect(backend?.running).toBe(0);
    });

    it('lists again when a service disappears between the two calls', async () => {
      let listings = 0;
      const { platform } = await platformOn({
        '/services': (_req, res) => {
          listings += 1;
          json(
            res,
            200,
            listings === 1
              ? [engineService('prod_a'), engineService('prod_gone')]
              : [engineService('prod_a')],
          );
        },
        '/tasks': (req, res) => {
          const ids = (filtersOf(req.query) as { service?: string[] }).service ?? [];
          if (ids.includes('id-prod_gone'))
            json(res, 404, { message: 'service id-prod_gone not found' });
          else json(res, 200, []);
        },
      });

      const services = await platform.listServices();

      expect(services.map((s) => s.name)).toEqual(['a']);
      expect(listings).toBe(2);
    });
  });

  describe('when the Engine cannot serve the request', () => {
    it('reports a node outside a swarm as a DependencyError saying so', async () => {
      const { platform } = await platformOn({
        '/services': (_req, res) =>
          json(res, 503, {
            message:
              'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
          }),
      });

      const error = await platform.listServices().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ dependency: 'docker', code: 'DEPENDENCY_UNAVAILABLE' });
      expect((error as Error).message).toMatch(
        /is not a swarm manager \(503\): This node is not a swarm manager/,
      );
    });

    it('names the socket-proxy sections a 403 needs', async () => {
      const { platform } = await platformOn({
        '/services': (_req, res) => {
          res.writeHead(403, { 'Content-Type': 'text/html' });
          res.end('<html><body><h1>403 Forbidden</h1></body></html>');
        },
      });

      await expect(platform.listServices()).rejects.toThrow(/403 Forbidden.*SERVICES, TASKS/);
    });

    it('gives up after its timeout when the Engine accepts the connection but never answers', async () => {
      const { platform } = await platformOn({ '/services': () => undefined }, 'prod', 300);

      const error = await platform.listServices().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DependencyError);
      expect((error as Error).message).toMatch(
        /did not answer GET \/services within 300ms \(timeout\)/,
      );
    });

    it('reports a closed port as unreachable (ECONNREFUSED)', async () => {
      const { engine: stub } = await platformOn({});
      const host = stub.host;
      await stub.close();
      engine = undefined;
      const platform = createSwarmPlatform({
        docker: createDockerClient({ host, timeoutMs: 2000 }),
        stack: 'prod',
        host,
      });

      await expect(platform.listServices()).rejects.toThrow(
        `Docker at ${host} is unreachable (ECONNREFUSED)`,
      );
    });
  });

  describe('streamLogs', () => {
    const backend = (tty: boolean): ServiceState => ({
      id: 'svc1',
      name: 'backend',
      fullName: 'prod_backend',
      image: 'tas/backend:5.15.2',
      imageTag: '5.15.2',
      desired: 1,
      running: 1,
      mode: 'replicated',
      tasks: [],
      tty,
      version: 1,
    });

    async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
      const parts: Buffer[] = [];
      for await (const chunk of chunks) parts.push(Buffer.from(chunk));
      return Buffer.concat(parts);
    }

    it('streams a finished log with timestamps, task details, since and tail, and ends with it', async () => {
      const body = Buffer.concat([
        frame(1, '2026-11-22T10:10:52.070245101Z out 6\n'),
        frame(2, '2026-11-22T10:10:53.090442945Z err 7\n'),
      ]);
      const { engine, platform } = await platformOn({
        '/services/svc1/logs': (_req, res) => {
          res.writeHead(200);
          res.end(body);
        },
      });

      const source = await platform.streamLogs(backend(false), {
        since: new Date('2026-11-22T10:00:00.250Z'),
        tail: 200,
      });

      expect(source.framing).toBe('multiplexed');
      expect(await collect(source.chunks)).toEqual(body);
      const query = engine.requests[0]!.query;
      expect(Object.fromEntries(query)).toEqual({
        stdout: 'true',
        stderr: 'true',
        timestamps: 'true',
        follow: 'false',
        details: 'true',
        since: '1795341600.250000000',
        tail: '200',
      });
    });

    it('marks a TTY service as raw framing', async () => {
      const { platform } = await platformOn({
        '/services/svc1/logs': (_req, res) => {
          res.writeHead(200);
          res.end('2026-11-22T10:10:52.070245101Z tty 5\r\n');
        },
      });

      const source = await platform.streamLogs(backend(true), {});

      expect(source.framing).toBe('raw');
      expect((await collect(source.chunks)).toString()).toBe(
        '2026-11-22T10:10:52.070245101Z tty 5\r\n',
      );
    });

    it('releases the connection on close() while the log is still being sent', async () => {
      const { engine, platform } = await platformOn({
        '/services/svc1/logs': (_req, res) => {
          res.writeHead(200);
          res.write(frame(1, 'first\n'));
          // …and never ends.
        },
      });

      const source = await platform.streamLogs(backend(false), {});
      const iterator = source.chunks[Symbol.asyncIterator]();
      await iterator.next();
      source.close();

      await expect(iterator.next()).resolves.toMatchObject({ done: true });
      await vi.waitFor(() => expect(engine.sockets.size).toBe(0));
    });

    it('reports a service that no longer exists as UNKNOWN_SERVICE', async () => {
      const { platform } = await platformOn({
        '/services/svc1/logs': (_req, res) => json(res, 404, { message: 'service svc1 not found' }),
      });

      const error = await platform.streamLogs(backend(false), {}).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({ code: 'UNKNOWN_SERVICE' });
    });
  });
});

describe('createDockerClient', () => {
  it('connects where it is told even when DOCKER_HOST points elsewhere', async () => {
    engine = await startStubEngine({ '/_ping': (_req, res) => res.end('OK') });
    // docker-modem reads DOCKER_HOST under explicit options; a stale tcp:// value would win.
    vi.stubEnv('DOCKER_HOST', 'tcp://127.0.0.1:1');

    const docker = createDockerClient({ host: engine.host, timeoutMs: 2000 });

    await expect(docker.ping()).resolves.toBeDefined();
    expect(engine.requests[0]?.path).toBe('/v1.41/_ping');
  });

  it('rejects a host it cannot parse, naming the accepted forms', () => {
    expect(() => createDockerClient({ host: 'docker.example', timeoutMs: 1000 })).toThrow(
      /unix:\/\/\/path.*tcp:\/\/host:port/,
    );
  });
});
