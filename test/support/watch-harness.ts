import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type Docker from 'dockerode';
import { consoleEvent } from '../../adapters/console/console-event.js';
import { createDiscordAdapter } from '../../adapters/discord/create-discord-adapter.js';
import { createSlackAdapter } from '../../adapters/slack/create-slack-adapter.js';
import { configDirectory } from '../../src/commands/config-directory.js';
import { requestPolicies } from '../../src/operations/request-policies.js';
import { escalateCommand } from '../../src/commands/escalate.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createDispatcher } from '../../src/core/dispatcher.js';
import { authorize } from '../../src/core/middleware/authorize.js';
import { identify } from '../../src/core/middleware/identify.js';
import { resolveCommand } from '../../src/core/middleware/resolve-command.js';
import type { WatchState } from '../../src/core/ports/watch-state-store.js';
import type { Reply } from '../../src/core/reply.js';
import { checkStatus } from '../../src/diagnostics/status/check-status.js';
import {
  startWatchScheduler,
  type WatchScheduler,
  type WatchTick,
} from '../../src/infra/bullmq/watch-scheduler.js';
import { connectRedis, redisOptions } from '../../src/infra/redis/connect-redis.js';
import { createRedisWatchStateStore } from '../../src/infra/redis/watch-state-store.js';
import { createApp, type App } from '../../src/app/create-app.js';
import { createWatcher, watchedEnvironments } from '../../src/watcher/create-watcher.js';
import { captureLogger } from '../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../fakes/fake-chat-delivery.js';
import { startDiscordStandIn, type DiscordStandIn } from '../stand-ins/discord/discord-stand-in.js';
import { startSlackStandIn, type SlackStandIn } from '../stand-ins/slack/slack-stand-in.js';
import { TEST_RETRY } from './slack-harness.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../integration/docker/test-swarm.js';
import { infraEnv } from './infra.js';

export interface WatchHarnessOptions {
  readonly every?: string;
  readonly escalateAfter?: number;
  readonly confirm?: number;
  /** Also deliver the ops channel to the real Slack adapter, against the Slack stand-in. */
  readonly slack?: boolean;
  /** Also deliver the ops channel to the real Discord adapter, against the Discord stand-in. */
  readonly discord?: boolean;
}

/** The Slack channel of `ops` when the harness runs with the Slack stand-in. */
export const SLACK_OPS_CHANNEL = 'C0WATCHOPS';
const SLACK_BOT_TOKEN = 'xoxb-111111111111-222222222222-watchbottoken';
const SLACK_APP_TOKEN = 'xapp-1-A0WATCH-333333333333-watchapptoken';

/** A config secret, interpolated into the probe's headers; the probe server echoes it back. */
export const PROBE_TOKEN = 'probe-token-Zq81xPw3';
export const ENVIRONMENT = 'prod';
export const OPS_CHANNEL = 'ops-channel';
export const SUPPORT_CHANNEL = 'support-channel';

function configText(
  stack: string,
  probePort: number,
  options: WatchHarnessOptions,
  discordOps?: string,
): string {
  return `
command: tas
people:
  alice: { slack: U01ALICE }
  dave: { slack: U04DAVE }
  sam: { slack: U06SAM }
roles:
  oncall: [alice]
  lead: [dave]
  support: [sam]
environments:
  ${ENVIRONMENT}:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    url: http://127.0.0.1:${probePort}/
    facts: { product: TAS, version: "5.15", database: PostgreSQL 16, os: Debian 12, databaseInStack: false }
    services: [backend, frontend, tika]
    probes:
      - name: readiness
        url: http://127.0.0.1:${probePort}/api/status/readiness
        headers: { Authorization: "Bearer \${PROBE_TOKEN}" }
        expect: { status: 200, json: { status: OK } }
        service: backend
        timeout: 2s
    channels: { ops: { console: ${OPS_CHANNEL}${options.slack === true ? `, slack: ${SLACK_OPS_CHANNEL}` : ''}${discordOps === undefined ? '' : `, discord: "${discordOps}"`} }, support: { console: ${SUPPORT_CHANNEL} } }
    policy:
      read: [oncall, lead, support]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      escalate: [oncall, lead]
    watch: { every: ${options.every ?? '1s'}, escalateAfter: ${options.escalateAfter ?? 3}, confirm: ${options.confirm ?? 2} }
    logs: { defaultSince: 15m, defaultTail: 200 }
`;
}

/** A local status route the test flips between 200 and 503; its 503 body echoes the Authorization header. */
async function startProbeServer(): Promise<{
  server: Server;
  port: number;
  setHealthy(healthy: boolean): void;
}> {
  let healthy = true;
  const server = createServer((req, res) => {
    const body = healthy
      ? { status: 'OK' }
      : { status: 'UNAVAILABLE', seen: req.headers.authorization ?? '' };
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('probe server has no port');
  return { server, port: address.port, setHealthy: (value) => (healthy = value) };
}

/** A loopback port nobody listens on right now (the fixture backend binds its own httpd there). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * The bot with its watcher, in-process against the real swarm and Redis: a stack of its own
 * running the fixture backend (pino logs full of credentials, test/fixtures/stack/bin/backend.sh),
 * a frontend logging an error a second and a quiet tika, a readiness probe against a local server the test flips, a unique Redis
 * prefix, operation workers, the notification consumer, and `/tas escalate` on the dispatcher.
 * Watch schedulers start only when the test asks (`startWatching`), one per simulated process.
 */
export async function startWatchHarness(options: WatchHarnessOptions = {}) {
  const docker: Docker = await connectTestSwarm();
  const stack = uniqueStack();
  const factory = serviceFactory(docker);
  const probe = await startProbeServer();
  const backendPort = await freePort();
  const ids: Record<string, string> = {
    backend: await factory.create(`${stack}_backend`, {
      script: `BACKEND_PORT=${backendPort} exec /fixture/bin/backend.sh`,
    }),
    frontend: await factory.create(`${stack}_frontend`, {
      script:
        'trap "exit 0" TERM; echo "frontend up"; while true; do echo "ERROR upstream timed out: GET /api/cases (frontend)"; sleep 1; done',
    }),
    // Quiet: a restart of it verifies cleanly, whatever the others log.
    tika: await factory.create(`${stack}_tika`, {
      script: 'trap "exit 0" TERM; echo "tika up"; while true; do sleep 1; done',
    }),
  };

  const redisUrl = process.env.REDIS_URL ?? infraEnv().redisUrl;
  const discord: DiscordStandIn | undefined =
    options.discord === true
      ? await startDiscordStandIn({ channels: ['watch-ops'], heartbeatIntervalMs: 1500 })
      : undefined;
  const discordOps = discord?.channelId('watch-ops');
  const loaded = parseConfig(configText(stack, probe.port, options, discordOps), {
    PROBE_TOKEN,
  });
  if (!loaded.ok) throw new Error(`watch harness config: ${JSON.stringify(loaded.error)}`);
  const slack: SlackStandIn | undefined =
    options.slack === true
      ? await startSlackStandIn({ botToken: SLACK_BOT_TOKEN, appToken: SLACK_APP_TOKEN })
      : undefined;
  const envOptions = readEnvOptions({
    REDIS_URL: redisUrl,
    ...(slack !== undefined && {
      SLACK_BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: 'watch-signing-secret',
    }),
  });
  if (!envOptions.ok) throw new Error(`watch harness env: ${JSON.stringify(envOptions.error)}`);
  const { config } = loaded.value;
  const env = config.environments[ENVIRONMENT];
  if (env === undefined) throw new Error('no environment');
  const { delivery, delivered } = fakeChatDelivery('console');
  const { log, entries } = captureLogger();
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const core: App = await createApp({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log,
    deliveries: [delivery],
    prefix,
    timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
    lockDurationMs: 3000,
    // This harness runs its own schedulers, one per simulated process.
    watch: false,
  });
  const slackAdapter =
    slack === undefined || envOptions.value.slack === undefined
      ? undefined
      : createSlackAdapter(core.host, {
          slack: envOptions.value.slack,
          command: 'tas',
          retryConfig: TEST_RETRY,
          log,
        });
  if (slackAdapter !== undefined) await slackAdapter.start();
  const discordAdapter =
    discord === undefined
      ? undefined
      : createDiscordAdapter(core.host, {
          discord: {
            token: discord.token,
            applicationId: discord.applicationId,
            apiUrl: discord.apiUrl,
            guildId: discord.guildId,
          },
          command: config.command,
          commands: core.commands,
          log,
        });
  if (discordAdapter !== undefined) await discordAdapter.start();
  core.startWorkers();
  // As the bot's `start` does: approval cards and notifications go out through the adapters.
  core.startDelivery([
    ...(slackAdapter === undefined ? [] : [slackAdapter]),
    ...(discordAdapter === undefined ? [] : [discordAdapter]),
  ]);
  const ops = core.operations;
  if (ops === undefined || core.audit === undefined)
    throw new Error('the harness has Redis, so it has operations and an audit trail');
  const redis = await connectRedis(redisUrl);
  const store = createRedisWatchStateStore({ redis, prefix: `${prefix}:` });
  const check = (name: string) =>
    checkStatus(
      { platform: ops.platformFor(name), prober: ops.prober, clock: ops.clock },
      env,
      name,
    );

  const escalate = escalateCommand({
    config,
    clock: ops.clock,
    checkStatus: check,
    platformFor: ops.platformFor,
    notifier: ops.notifier,
    audit: core.audit,
    requests: ops.store,
    watchState: store,
    redact: core.redact,
  });
  const commands = [...core.commands.filter((c) => c.name !== 'escalate'), escalate];
  const directory = configDirectory(config);
  const dispatcher = createDispatcher({
    slash: '/tas',
    log,
    redact: core.redact,
    middleware: [
      identify(directory),
      resolveCommand(commands, directory, '/tas'),
      authorize(directory, requestPolicies(config)),
    ],
  });
  const say = (person: string, text: string): Promise<Reply> =>
    dispatcher.dispatch(consoleEvent(text, person, OPS_CHANNEL));

  const schedulers: WatchScheduler[] = [];
  const ticks: (WatchTick & { worker: number })[] = [];
  /** One watch scheduler and worker per simulated process, each with a watcher of its own. */
  async function startWatching(processes = 1): Promise<void> {
    for (let worker = 0; worker < processes; worker += 1) {
      const watcher = createWatcher({
        config,
        checkStatus: check,
        store,
        notifier: ops!.notifier,
        platformFor: ops!.platformFor,
        audit: core.audit!,
        requests: ops!.store,
        redact: core.redact,
        clock: ops!.clock,
        log: log.child({ worker }),
      });
      const scheduler = startWatchScheduler({
        connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: null },
        prefix,
        environments: watchedEnvironments(config),
        log: log.child({ worker }),
        tick: async (tick) => {
          ticks.push({ ...tick, worker });
          await watcher.tick(tick.environment);
        },
      });
      schedulers.push(scheduler);
      await scheduler.ready;
    }
  }

  /** Polls until `ready` holds; fails naming what it waited for and what it last saw. */
  async function waitFor<T>(
    what: string,
    probeOnce: () => Promise<T | undefined> | T | undefined,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probeOnce();
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        const state = await store.get(ENVIRONMENT);
        throw new Error(
          `not ${what} within ${timeoutMs}ms; watch state ${JSON.stringify(state)}; messages: ${delivered.map((d) => `${d.target.channelId}: ${d.reply.title}`).join(' | ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const watchState = (): Promise<WatchState | undefined> => store.get(ENVIRONMENT);
  /** Waits until the watcher has applied `more` checks beyond the current count. */
  async function moreChecks(more: number): Promise<WatchState> {
    const from = (await watchState())?.checks ?? 0;
    return waitFor(`${more} more checks after ${from}`, async () => {
      const state = await watchState();
      return state !== undefined && state.checks >= from + more ? state : undefined;
    });
  }
  // The watcher must first see a healthy stack: tasks that are still starting read as DOWN.
  await waitFor(
    'the new stack running',
    async () => ((await check(ENVIRONMENT)).verdict === 'OK' ? true : undefined),
    90_000,
  );

  const posts = (channelId: string): Delivered[] =>
    delivered.filter(
      (d) =>
        d.kind === 'post' && d.target.channelId === channelId && d.target.threadId === undefined,
    );

  /** Replies in threads of `channelId` (an incident's changes and recovery). */
  const replies = (channelId: string): Delivered[] =>
    delivered.filter(
      (d) =>
        d.kind === 'post' && d.target.channelId === channelId && d.target.threadId !== undefined,
    );
  /** In-place updates of posts in `channelId` (an incident's first post, its summary line). */
  const updates = (channelId: string): Delivered[] =>
    delivered.filter((d) => d.kind === 'update' && d.target.channelId === channelId);

  return {
    core,
    docker,
    stack,
    prefix,
    config,
    delivered,
    logs: entries,
    ticks,
    say,
    probe,
    store,
    watchState,
    startWatching,
    waitFor,
    moreChecks,
    posts,
    /** The Slack stand-in, when the harness runs with it. */
    slack,
    /** The Discord stand-in and the ops channel's id there, when the harness runs with it. */
    discord,
    discordOps,
    replies,
    updates,
    checkStatus: () => check(ENVIRONMENT),
    /** Scales a stack service behind the bot's back (`docker service scale`). */
    scale: (service: string, replicas: number) => factory.scale(ids[service] ?? service, replicas),
    async close() {
      await Promise.all(schedulers.map((s) => s.close()));
      await core.close();
      await slackAdapter?.stop();
      await slack?.close();
      await discordAdapter?.stop();
      await discord?.close();
      await redis.quit().catch(() => redis.disconnect());
      await new Promise<void>((resolve) => probe.server.close(() => resolve()));
      await factory.removeAll();
    },
  };
}

export type WatchHarness = Awaited<ReturnType<typeof startWatchHarness>>;
