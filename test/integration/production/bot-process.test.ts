import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisAuditLog } from '../../../src/infra/redis/redis-audit-log.js';
import { createRedisRequestStore } from '../../../src/infra/redis/redis-request-store.js';
import type { RequestStore } from '../../../src/core/ports/request-store.js';
import { systemClock } from '../../../src/core/ports/clock.js';
import { stopChild } from '../../support/child-process.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import { valueOf } from '../../unit/infra/metrics/exposition.js';
import {
  freePort,
  http,
  runBot,
  spawnBot,
  startRedis,
  stop,
  waitFor,
  waitForStatus,
  type Running,
} from './process-support.js';

interface Ready {
  status: string;
  stopping?: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

const readyBody = (body: string) => JSON.parse(body) as Ready;

describe('the tas-chatops start process', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let stack: string;
  let redis: ChildProcess | undefined;
  let redisDir: string;
  let redisPort: number;
  let port: number;
  let bot: Running | undefined;
  let env: NodeJS.ProcessEnv;
  let app: Server;
  let appPort: number;
  let client: Redis | undefined;
  let store: RequestStore;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    stack = uniqueStack();
    await factory.create(`${stack}_backend`, {
      script: 'trap "exit 0" TERM; echo "backend up"; while true; do sleep 1; done',
    });
    app = createServer((_req, res) => res.end('{"status":"OK"}'));
    appPort = await freePort();
    await new Promise<void>((resolve) => app.listen(appPort, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'tas-prod-'));
    redisDir = join(dir, 'redis');
    mkdirSync(redisDir);
    redisPort = await freePort();
    port = await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `command: tas
people:
  alice: {}
  dave: {}
roles:
  oncall: [alice]
  lead: [dave]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [backend]
    probes:
      - { name: app, url: "http://127.0.0.1:${appPort}/health", expect: { status: 200 } }
    channels: { ops: { console: ops-channel } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
`,
    );
    env = {
      PATH: process.env.PATH,
      TAS_CHATOPS_CONFIG: config,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
  });

  afterAll(async () => {
    await stop(bot, 'SIGKILL');
    client?.disconnect();
    if (redis !== undefined) await stopChild(redis);
    await new Promise((resolve) => app.close(resolve));
    await factory.removeAll();
  });

  /** `run --json` as someone, through the same config and Redis; the reply as parsed JSON. */
  async function say(person: string, text: string) {
    const result = await runBot(['run', '--as', person, '--json', text], {
      ...env,
      LOG_LEVEL: 'warn',
    });
    return JSON.parse(result.stdout) as { title: string; card?: { requestId: string } };
  }

  async function requestRestart(): Promise<string> {
    const card = await say('alice', '/tas restart backend');
    const id = card.card?.requestId;
    if (id === undefined) throw new Error(`no approval card: ${card.title}`);
    return id;
  }

  const forceUpdate = async () =>
    (
      (await docker.getService(`${stack}_backend`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      }
    ).Spec.TaskTemplate.ForceUpdate ?? 0;

  it('answers /health at once and /health/ready 503 while Redis is down', async () => {
    bot = spawnBot(['start'], env);
    const health = await waitFor('GET /health', () => http(port, '/health'), 60_000);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'OK' });
    const ready = await http(port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(readyBody(ready.body).status).toBe('UNAVAILABLE');
  });

  it('turns ready once Redis is up and a canary went through the operations workers', async () => {
    redis = await startRedis(redisDir, redisPort);
    const ready = await waitForStatus(port, '/health/ready', 200);
    expect(readyBody(ready.body)).toMatchObject({
      status: 'OK',
      checks: [
        { name: 'redis', ok: true },
        {
          name: 'workers',
          ok: true,
          detail: expect.stringMatching(/^canary answered \d+s ago$/) as unknown,
        },
        { name: 'persistence', ok: true },
      ],
    });
    client = new Redis({ host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    store = createRedisRequestStore({ redis: client, prefix: 'tas:' });
  });

  it('turns unready soon after Redis dies, and ready again after it returns', async () => {
    if (redis !== undefined) await stopChild(redis, 'SIGKILL');
    const killedAt = Date.now();
    const down = await waitForStatus(port, '/health/ready', 503, 30_000);
    const noticedMs = Date.now() - killedAt;
    expect(readyBody(down.body).checks.find((c) => c.name === 'redis')).toMatchObject({
      ok: false,
    });
    redis = await startRedis(redisDir, redisPort);
    const startedAt = Date.now();
    await waitForStatus(port, '/health/ready', 200, 60_000);
    console.info(
      `readiness: 503 ${noticedMs} ms after Redis was killed, 200 ${Date.now() - startedAt} ms after it returned`,
    );
    expect((await http(port, '/health')).status).toBe(200);
  });

  it('shows pending approvals, queue depth, job durations and probe results on /metrics', async () => {
    const id = await requestRestart();
    const pending = (await http(port, '/metrics')).body;
    expect(valueOf(pending, 'tas_pending_approvals', { environment: 'ops' })).toBe(1);
    expect(valueOf(pending, 'tas_queue_jobs', { queue: 'tas-operations', state: 'delayed' })).toBe(
      1,
    ); // the expiry
    const before = await forceUpdate();
    await say('dave', `/tas approve ${id}`);
    await waitFor(
      'the restart to succeed',
      async () => ((await store.get(id))?.state === 'succeeded' ? true : undefined),
      150_000,
      250,
    );
    expect(await forceUpdate()).toBe(before + 1);
    const after = (await http(port, '/metrics')).body;
    expect(valueOf(after, 'tas_pending_approvals', { environment: 'ops' })).toBe(0);
    expect(
      valueOf(after, 'tas_job_duration_seconds_count', { job: 'execute', outcome: 'ok' }),
    ).toBe(1);
    expect(
      valueOf(after, 'tas_job_duration_seconds_sum', { job: 'execute', outcome: 'ok' }),
    ).toBeGreaterThan(0);
    expect(
      valueOf(after, 'tas_probe_up', {
        probe: 'app',
        target: `http://127.0.0.1:${appPort}/health`,
      }),
    ).toBe(1);
    expect(valueOf(after, 'tas_queue_jobs', { queue: 'tas-operations', state: 'active' })).toBe(0);
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('on SIGTERM during a restart turns unready at once, lets the restart finish and exits 0', async () => {
    const running = bot;
    if (running === undefined) throw new Error('the bot is not running');
    const id = await requestRestart();
    const before = await forceUpdate();
    await say('dave', `/tas approve ${id}`);
    // Once the Engine has the change, verification (runbook settle time) is still to come.
    await waitFor(
      'the change to be applied',
      async () => ((await store.get(id))?.steps[0]?.state === 'applied' ? true : undefined),
      120_000,
      50,
    );
    running.child.kill('SIGTERM');
    const ready = await waitFor(
      'readiness to go off',
      async () => {
        const answer = await http(port, '/health/ready');
        return answer.status === 503 ? answer : undefined;
      },
      10_000,
      20,
    );
    expect(readyBody(ready.body)).toMatchObject({ status: 'UNAVAILABLE', stopping: true });
    expect((await http(port, '/health')).status).toBe(200);
    expect((await store.get(id))?.state).toBe('running');

    expect(await running.exited).toEqual({ code: 0, signal: null });
    let state = (await store.get(id))?.state;
    console.info(
      `after SIGTERM the process exited with the restart ${state === 'succeeded' ? 'finished in flight' : `still ${String(state)}; handing it to the next worker`}`,
    );
    if (state !== 'succeeded') {
      // Handed back to the queue instead: the next worker finishes it.
      const next = spawnBot(['worker'], { ...env, PORT: String(await freePort()) });
      try {
        state = await waitFor(
          'the next worker to finish the restart',
          async () => ((await store.get(id))?.state === 'succeeded' ? 'succeeded' : undefined),
          150_000,
          250,
        );
      } finally {
        await stop(next);
      }
    }
    expect(state).toBe('succeeded');
    expect(await forceUpdate()).toBe(before + 1);
    const kinds: string[] = [];
    if (client === undefined) throw new Error('no Redis client');
    for await (const entry of createRedisAuditLog({
      redis: client,
      key: 'tas:audit',
      clock: systemClock,
    }).all())
      if (entry.requestId === id) kinds.push(entry.kind);
    expect(kinds).toEqual(['request', 'vote', 'start', 'result']);

    const lines = running.logs().map((l) => l.msg);
    expect(
      lines.indexOf('shutting down: readiness off, intake stopped, in-flight jobs finish'),
    ).toBeGreaterThan(-1);
    expect(lines.at(-1)).toBe('stopped');
    // Production logs: every line on stdout is one pino JSON object.
    const stdout = running
      .stdout()
      .split('\n')
      .filter((line) => line !== '');
    expect(stdout.filter((line) => !line.startsWith('{"level":'))).toEqual([]);
  });
});
