import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEvent } from '../../../adapters/console/console-event.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { createBotMetrics, type BotMetrics } from '../../../src/infra/metrics/bot-metrics.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../../fakes/fake-chat-delivery.js';
import { infraEnv } from '../../support/infra.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import { valueOf } from '../../unit/infra/metrics/exposition.js';
import { freePort, waitFor } from './process-support.js';

describe('the core with metrics, on the real swarm and Redis', () => {
  let factory: ReturnType<typeof serviceFactory>;
  let core: App;
  let metrics: BotMetrics;
  let delivered: Delivered[];
  let app: Server;
  let appPort: number;
  beforeAll(async () => {
    factory = serviceFactory(await connectTestSwarm());
    const stack = uniqueStack();
    await factory.create(`${stack}_backend`, {
      script: 'trap "exit 0" TERM; echo "backend up"; while true; do sleep 1; done',
    });
    app = createServer((_req, res) => res.end('ok'));
    appPort = await freePort();
    await new Promise<void>((resolve) => app.listen(appPort, '127.0.0.1', resolve));
    const loaded = parseConfig(
      `people: { alice: {}, dave: {} }
roles: { oncall: [alice], lead: [dave] }
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [backend]
    probes:
      - { name: app, url: "http://127.0.0.1:${appPort}/", expect: { status: 200 } }
    channels: { ops: { console: ops-channel } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
`,
      {},
    );
    const envOptions = readEnvOptions({ REDIS_URL: process.env.REDIS_URL ?? infraEnv().redisUrl });
    if (!loaded.ok || !envOptions.ok) throw new Error('bad test config');
    const delivery = fakeChatDelivery('console');
    delivered = delivery.delivered;
    const { log } = captureLogger();
    metrics = createBotMetrics({ log, defaultMetrics: false });
    core = await createApp({
      loaded: loaded.value,
      envOptions: envOptions.value,
      log,
      metrics,
      deliveries: [delivery.delivery],
      prefix: `t-${randomUUID().slice(0, 8)}`,
      timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
      lockDurationMs: 3000,
    });
    core.startWorkers();
    core.startDelivery();
  });
  afterAll(async () => {
    await core.close();
    await factory.removeAll();
    await new Promise((resolve) => app.close(resolve));
  });

  const say = (person: string, text: string) =>
    core.dispatcher.dispatch(consoleEvent(text, person, 'ops'));
  const scrape = async () => (await metrics.render()).body;

  it('counts commands by name and outcome, and reports jobs, probes, queue depth and pending approvals', async () => {
    await say('alice', '/tas status');
    await say('alice', '/tas logs nosuchservice');
    const card = await say('alice', '/tas restart backend');
    const id = card.card?.requestId ?? '';
    expect(valueOf(await scrape(), 'tas_pending_approvals', { environment: 'ops' })).toBe(1);
    await say('alice', `/tas approve ${id}`);
    await say('dave', `/tas approve ${id}`);
    await waitFor(
      'the verdict',
      () =>
        Promise.resolve(
          delivered.find((d) => /^(Verified|Failed): restart backend/.test(d.reply.title))
            ? true
            : undefined,
        ),
      120_000,
    );
    core.host.metrics?.observeAck('console', 0.002);

    const body = await scrape();
    expect(valueOf(body, 'tas_commands_total', { command: 'status', outcome: 'ok' })).toBe(1);
    expect(valueOf(body, 'tas_commands_total', { command: 'logs', outcome: 'refused' })).toBe(1);
    expect(valueOf(body, 'tas_commands_total', { command: 'restart', outcome: 'ok' })).toBe(1);
    expect(valueOf(body, 'tas_commands_total', { command: 'approve', outcome: 'refused' })).toBe(1);
    expect(valueOf(body, 'tas_commands_total', { command: 'approve', outcome: 'ok' })).toBe(1);
    expect(valueOf(body, 'tas_job_duration_seconds_count', { job: 'execute', outcome: 'ok' })).toBe(
      1,
    );
    expect(
      valueOf(body, 'tas_probe_up', { probe: 'app', target: `http://127.0.0.1:${appPort}/` }),
    ).toBe(1);
    expect(
      valueOf(body, 'tas_probe_checks_total', {
        probe: 'app',
        target: `http://127.0.0.1:${appPort}/`,
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(valueOf(body, 'tas_pending_approvals', { environment: 'ops' })).toBe(0);
    expect(valueOf(body, 'tas_queue_jobs', { queue: 'tas-operations', state: 'waiting' })).toBe(0);
    expect(valueOf(body, 'tas_queue_jobs', { queue: 'tas-notify', state: 'failed' })).toBe(0);
    expect(valueOf(body, 'tas_ack_latency_seconds_count', { platform: 'console' })).toBe(1);
  });
});
