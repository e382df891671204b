// One real `start` process on the Slack stand-in (Socket Mode) against a private Sentinel set,
// with durable writes on (REDIS_WAIT_REPLICAS=1), and the swarm services it restarts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { redisOptions } from '../../../src/infra/redis/connect-redis.js';
import { createRedisRequestStore } from '../../../src/infra/redis/redis-request-store.js';
import { startSentinelSet, type SentinelSet } from '../../support/sentinel-set.js';
import { slashCommand } from '../../stand-ins/slack/payloads.js';
import { startSlackStandIn, type SlackStandIn } from '../../stand-ins/slack/slack-stand-in.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import { freePort, http, spawnBot, stop, type Running } from '../production/process-support.js';

const BOT_TOKEN = 'xoxb-111111111111-222222222222-sentinelbottoken';
const APP_TOKEN = 'xapp-1-A0STANDIN-333333333333-sentinelapptoken';
export const OPS = 'C0OPS';
export const ALICE = 'U01ALICE';
export const DAVE = 'U04DAVE';
export const ERIN = 'U05ERIN';
export const SERVICES = ['r1', 'r2'] as const;

function config(stack: string): string {
  return `command: tas
people:
  alice: { slack: ${ALICE} }
  dave: { slack: ${DAVE} }
  erin: { slack: ${ERIN} }
roles:
  oncall: [alice]
  lead: [dave, erin]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [${SERVICES.join(', ')}]
    channels: { ops: { slack: ${OPS} } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 2, expires: 15m }
`;
}

interface Resources {
  set?: SentinelSet;
  slack?: SlackStandIn;
  bot?: Running;
  client?: Redis;
  dir?: string;
  factory?: ReturnType<typeof serviceFactory>;
}

async function release(r: Resources): Promise<void> {
  await stop(r.bot, 'SIGKILL');
  r.client?.disconnect();
  await r.slack?.close();
  await r.set?.close();
  await r.factory?.removeAll();
  if (r.dir !== undefined) rmSync(r.dir, { recursive: true, force: true });
}

/** Readiness answers seen so far, polled every 100 ms from start to close. */
function recordReadiness(port: number) {
  const seen: number[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const status = await http(port, '/health/ready').then(
        (a) => a.status,
        () => 0,
      );
      if (seen.at(-1) !== status) seen.push(status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const running = loop();
  return {
    /** Distinct consecutive statuses: [503, 200, 503, 200] for a process that went down once. */
    seen: () => [...seen],
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

export async function startSentinelBot() {
  const r: Resources = {};
  try {
    return await build(r);
  } catch (error) {
    await release(r);
    throw error;
  }
}

async function build(r: Resources) {
  const docker = await connectTestSwarm();
  const stack = uniqueStack();
  r.factory = serviceFactory(docker);
  for (const name of SERVICES) await r.factory.create(`${stack}_${name}`);
  r.set = await startSentinelSet();
  const set = r.set;
  r.slack = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const slack = r.slack;
  r.dir = mkdtempSync(join(tmpdir(), 'tas-ha-sentinel-'));
  writeFileSync(join(r.dir, 'config.yml'), config(stack));
  const port = await freePort();
  r.bot = spawnBot(['start'], {
    PATH: process.env.PATH,
    TAS_CHATOPS_CONFIG: join(r.dir, 'config.yml'),
    REDIS_URL: set.url,
    REDIS_WAIT_REPLICAS: '1',
    REDIS_WAIT_MS: '500',
    PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: APP_TOKEN,
  });
  r.client = new Redis({ ...redisOptions(set.url), maxRetriesPerRequest: null });
  r.client.on('error', () => undefined);
  const store = createRedisRequestStore({ redis: r.client, prefix: 'tas:' });
  const readiness = recordReadiness(port);
  const close = async () => {
    await readiness.stop();
    await release(r);
  };
  return {
    set,
    slack,
    port,
    bot: r.bot,
    readiness,
    /** A `/tas <text>` from `user` in #ops; resolves once the bot acknowledged the envelope. */
    async say(user: string, text: string): Promise<void> {
      const fields = slashCommand({
        user,
        channel: OPS,
        text,
        responseUrl: slack.newResponseUrl(),
      });
      await slack.socket.send('slash_commands', fields).acked;
    },
    /** The open request for `service`, read through the Sentinel set like the bot reads it. */
    async requestFor(service: string): Promise<OperationRequest | undefined> {
      const open = await store.open('ops');
      return open.find((r) => r.target === service || r.target.endsWith(`_${service}`));
    },
    get: (id: string) => store.get(id),
    async forceUpdate(service: string): Promise<number> {
      const spec = (await docker.getService(`${stack}_${service}`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
      return spec.Spec.TaskTemplate.ForceUpdate ?? 0;
    },
    close,
  };
}

export type SentinelBot = Awaited<ReturnType<typeof startSentinelBot>>;
