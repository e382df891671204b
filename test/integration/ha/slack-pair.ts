import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../../support/child-process.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import {
  freePort,
  spawnBot,
  startRedis,
  stop,
  waitForStatus,
  type Running,
} from '../production/process-support.js';
import { blockActions, slashCommand } from '../../stand-ins/slack/payloads.js';
import { createSignedClient, formBody, payloadBody } from '../../stand-ins/slack/signed-client.js';
import { startSlackStandIn, type SlackStandIn } from '../../stand-ins/slack/slack-stand-in.js';
import type { StoredMessage } from '../../stand-ins/slack/slack-state.js';

export type PairMode = 'http' | 'socket';

const BOT_TOKEN = 'xoxb-111111111111-222222222222-hapairbottoken';
const APP_TOKEN = 'xapp-1-A0STANDIN-333333333333-hapairapptoken';
const SIGNING_SECRET = 'ha-pair-signing-secret-5e1a';

export const OPS = 'C0OPS';
export const ALICE = 'U01ALICE';
export const DAVE = 'U04DAVE';
/** The services the test restarts, one approval each. */
export const SERVICES = ['r1', 'r2', 'r3', 'r4', 'r5'] as const;
/** People who only ask for help: each answer is theirs alone (an ephemeral). */
export const HELPERS = Array.from({ length: 40 }, (_, i) => `UH${String(i).padStart(2, '0')}`);

function pairConfig(stack: string): string {
  const helpers = HELPERS.map((id) => `  ${id.toLowerCase()}: { slack: ${id} }`).join('\n');
  return `command: tas
people:
  alice: { slack: ${ALICE} }
  dave: { slack: ${DAVE} }
${helpers}
roles:
  oncall: [alice, ${HELPERS.map((id) => id.toLowerCase()).join(', ')}]
  lead: [dave]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [${SERVICES.join(', ')}]
    channels: { ops: { slack: ${OPS} } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
`;
}

/** A loopback load balancer: each request goes to the next bot, round-robin, bytes untouched. */
async function roundRobin(
  ports: readonly number[],
): Promise<{ server: Server; url: string; hits: number[] }> {
  let turn = 0;
  const hits = ports.map(() => 0);
  const server = createServer((req, res) => {
    const index = turn % ports.length;
    const port = ports[index];
    hits[index] = (hits[index] ?? 0) + 1;
    turn += 1;
    const { url: path, method, headers } = req;
    const upstream = request({ host: '127.0.0.1', port, path, method, headers }, (answer) => {
      // Which bot answered: the tests learn which process acknowledged each delivery.
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-test-bot': String(index) });
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { server, url, hits };
}

interface Resources {
  slack?: SlackStandIn;
  redis?: ChildProcess;
  redisPort?: number;
  bots: Running[];
  proxy?: Server;
  dir?: string;
  factory?: ReturnType<typeof serviceFactory>;
}

async function release(r: Resources): Promise<void> {
  for (const bot of r.bots) await stop(bot, 'SIGKILL');
  await new Promise<void>((resolve) => (r.proxy ? r.proxy.close(() => resolve()) : resolve()));
  await r.slack?.close();
  if (r.redis !== undefined) await stopChild(r.redis);
  await r.factory?.removeAll();
  if (r.dir !== undefined) rmSync(r.dir, { recursive: true, force: true });
}

/** Two real `start` processes on one Redis, the swarm, the Slack stand-in; botEnv[i]: bot i's. */
export async function startSlackPair(mode: PairMode, botEnv: readonly NodeJS.ProcessEnv[] = []) {
  const r: Resources = { bots: [] };
  try {
    return await buildPair(mode, r, botEnv);
  } catch (error) {
    await release(r);
    throw error;
  }
}

async function buildPair(mode: PairMode, r: Resources, botEnv: readonly NodeJS.ProcessEnv[]) {
  const docker = await connectTestSwarm();
  const stack = uniqueStack();
  r.factory = serviceFactory(docker);
  for (const name of SERVICES) await r.factory.create(`${stack}_${name}`);
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  r.slack = slack;
  r.dir = mkdtempSync(join(tmpdir(), 'tas-ha-slack-'));
  mkdirSync(join(r.dir, 'redis'));
  const redisPort = await freePort();
  r.redis = await startRedis(join(r.dir, 'redis'), redisPort);
  r.redisPort = redisPort;
  writeFileSync(join(r.dir, 'config.yml'), pairConfig(stack));
  const ports = [await freePort(), await freePort()];
  for (const [index, port] of ports.entries())
    r.bots.push(
      spawnBot(['start'], {
        PATH: process.env.PATH,
        TAS_CHATOPS_CONFIG: join(r.dir, 'config.yml'),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PORT: String(port),
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        ...(mode === 'socket'
          ? { SLACK_APP_TOKEN: APP_TOKEN }
          : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
        ...botEnv[index],
      }),
    );
  for (const port of ports) await waitForStatus(port, '/health/ready', 200, 120_000);
  let proxy = { url: '', hits: [] as number[] };
  if (mode === 'socket') {
    await slack.socket.connected(2);
    slack.socket.spreadOver('spread');
  } else {
    const balancer = await roundRobin(ports);
    r.proxy = balancer.server;
    proxy = balancer;
  }
  return pairApi(mode, slack, docker, stack, proxy, r);
}

function pairApi(
  mode: PairMode,
  slack: SlackStandIn,
  docker: Awaited<ReturnType<typeof connectTestSwarm>>,
  stack: string,
  proxy: { readonly url: string; readonly hits: readonly number[] },
  r: Resources,
) {
  const signed = createSignedClient({ url: () => proxy.url, signingSecret: SIGNING_SECRET });
  /** One delivery (retry > 0: Slack's redelivery of the same bytes); resolves with the ack status. */
  async function deliver(
    type: 'slash_commands' | 'interactive',
    body: Record<string, unknown>,
    retry: number,
  ): Promise<number> {
    if (mode === 'socket') {
      const options = retry > 0 ? { retryAttempt: retry, retryReason: 'timeout' } : {};
      await slack.socket.send(type, body, options).acked;
      return 200;
    }
    const raw =
      type === 'slash_commands' ? formBody(body as Record<string, string>) : payloadBody(body);
    return (await signed.send(raw, retry > 0 ? { retryNum: retry } : {})).status;
  }
  return {
    slack,
    bots: r.bots,
    /** Deliveries each bot process was handed (by the balancer, or over its Socket Mode connection). */
    deliveriesPerBot(): number[] {
      if (mode === 'http') return [...proxy.hits];
      const counts = new Map<number, number>();
      for (const { connection } of slack.socket.sent)
        counts.set(connection, (counts.get(connection) ?? 0) + 1);
      return [...counts.values()];
    },
    command: (user: string, text: string) =>
      slashCommand({ user, channel: OPS, text, responseUrl: slack.newResponseUrl() }),
    /** A click on the Approve button of a card (each call is a new click: a new action_ts). */
    approve(user: string, card: StoredMessage): Record<string, unknown> {
      const button = approveButton(card);
      return blockActions({
        user,
        channel: card.channel,
        message: card,
        actionId: button.action_id,
        value: button.value,
        responseUrl: slack.newResponseUrl(),
      });
    },
    send: (fields: Record<string, string>, retry = 0) => deliver('slash_commands', fields, retry),
    press: (payload: Record<string, unknown>, retry = 0) => deliver('interactive', payload, retry),
    async forceUpdate(service: string): Promise<number> {
      const spec = (await docker.getService(`${stack}_${service}`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
      return spec.Spec.TaskTemplate.ForceUpdate ?? 0;
    },
    /** HTTP mode: one command through the balancer; the ack's status and the bot that gave it. */
    async sendThrough(
      fields: Record<string, string>,
      retry = 0,
    ): Promise<{ status: number; bot: number | undefined }> {
      const answer = await signed.send(formBody(fields), retry > 0 ? { retryNum: retry } : {});
      const bot = answer.headers['x-test-bot'];
      return { status: answer.status, bot: typeof bot === 'string' ? Number(bot) : undefined };
    },
    /** Slack deliveries recorded in the shared intake and not finished yet. */
    async pendingIntake(): Promise<number> {
      const redis = new Redis(r.redisPort ?? 0, '127.0.0.1', { lazyConnect: true });
      try {
        await redis.connect();
        let pending = 0;
        for (const key of await redis.keys('*intake:slack:entries'))
          pending += await redis.hlen(key);
        return pending;
      } finally {
        redis.disconnect();
      }
    },
    /** SIGKILLs the Redis both processes share (the end of the test: it stays down). */
    async killRedis(): Promise<void> {
      if (r.redis !== undefined) await stopChild(r.redis, 'SIGKILL');
    },
    close: () => release(r),
  };
}

function approveButton(card: StoredMessage): { action_id: string; value: string } {
  for (const block of card.blocks as {
    type?: string;
    elements?: { action_id: string; value: string }[];
  }[]) {
    const button = block.elements?.find((e) => e.action_id.startsWith('tas:approve:'));
    if (block.type === 'actions' && button !== undefined) return button;
  }
  throw new Error(`no approve button on card ${card.ts}: ${card.text}`);
}

export type SlackPair = Awaited<ReturnType<typeof startSlackPair>>;
