import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { consoleDelivery } from '../adapters/console/console-delivery.js';
import { runConsoleSession } from '../adapters/console/console-session.js';
import { consoleEvent } from '../adapters/console/console-event.js';
import { renderText } from '../adapters/console/render-text.js';
import { verifyAudit } from './cli/audit-verify.js';
import { CLI_USAGE, parseCliArgs } from './cli/parse-cli-args.js';
import { createCommands } from './commands/index.js';
import { readEnvOptions, resolveFileVariables } from './config/env-options.js';
import { formatIssues } from './config/format-issues.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './infra/create-logger.js';
import { randomBytes } from 'node:crypto';
import type { AuditLog } from './audit/audit-log.js';
import { withAuditLogging } from './audit/audit-log.js';
import type { ChatDelivery } from './core/ports/chat-delivery.js';
import type { AdapterHost, ChatAdapter } from './core/ports/chat-adapter.js';
import { DependencyError } from './core/errors.js';
import { withMetrics } from './core/middleware/with-metrics.js';
import type { ServiceOperator } from './core/ports/service-operator.js';
import type { Canary } from './infra/bullmq/canary.js';
import { NOTIFY_QUEUE, OPERATIONS_QUEUE } from './infra/bullmq/queue-names.js';
import type { IncidentThreadStore, WatchStateStore } from './core/ports/watch-state-store.js';
import { createWatcher, watchedEnvironments } from './watcher/create-watcher.js';
import {
  EmbeddedRedisError,
  findOnPath,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from './infra/redis/embedded-redis.js';
import { createHttpServer } from './infra/http/create-http-server.js';
import { createReadiness, type Readiness, type ReadinessCheck } from './infra/http/readiness.js';
import { createBotMetrics, type BotMetrics } from './infra/metrics/bot-metrics.js';
import { instrumentProber } from './infra/metrics/instrument-prober.js';
import { timeJob } from './infra/metrics/time-job.js';
import { expireRequest, resumeOpenRequests } from './operations/decide-request.js';
import { createNotificationDelivery } from './operations/deliver-notification.js';
import { executeOperation, giveUpOperation } from './operations/execute-operation.js';
import {
  DEFAULT_TIMINGS,
  type OperationDeps,
  type VerifyTimings,
} from './operations/operation-deps.js';
import type { RequestStore } from './core/ports/request-store.js';
import { configDirectory } from './commands/config-directory.js';
import type { EnvOptions } from './config/env-options.js';
import type { LoadedConfig } from './config/load-config.js';
import type { Command } from './core/command.js';
import { createDispatcher, type Dispatcher } from './core/dispatcher.js';
import { authorize } from './core/middleware/authorize.js';
import { identify } from './core/middleware/identify.js';
import { resolveCommand } from './core/middleware/resolve-command.js';
import { withLogger } from './core/middleware/with-logger.js';
import { systemClock, type Clock } from './core/ports/clock.js';
import type { ContainerPlatform } from './core/ports/container-platform.js';
import type { Logger } from './core/ports/logger.js';
import type { Prober } from './core/ports/prober.js';
import { checkStatus } from './diagnostics/status/check-status.js';
import { createPlatformClients } from './infra/create-platform-clients.js';
import { checkLiveServices } from './config/cross-check-live-services.js';
import { createProber } from './infra/probes/undici-prober.js';
import { createRedactor } from './lib/redact.js';
import { compileExtraPatterns } from './lib/redact-extra-patterns.js';
import { singleFlight } from './lib/single-flight.js';

export interface CoreOptions {
  readonly loaded: LoadedConfig;
  readonly envOptions: EnvOptions;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Overrides for tests and benchmarks (a prober with a custom dispatcher, a counting platform). */
  readonly platformFor?: (environment: string) => ContainerPlatform;
  readonly operatorFor?: (environment: string) => ServiceOperator;
  readonly prober?: Prober;
  /** Chat platforms that receive notifications (progress, card updates, channel notices). */
  readonly deliveries?: readonly ChatDelivery[];
  /** Redis key and queue prefix; tests use a unique one. */
  readonly prefix?: string;
  readonly timings?: VerifyTimings;
  /** How soon a dead worker's job is handed over (tests shorten it). */
  readonly lockDurationMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Run the watcher's schedulers with the workers (default); tests that drive ticks turn it off. */
  readonly watch?: boolean;
  /** Commands, jobs, probes, queue depth and pending approvals go here (`GET /metrics`). */
  readonly metrics?: BotMetrics;
}

export interface Core {
  readonly dispatcher: Dispatcher;
  readonly commands: readonly Command[];
  readonly redact: (text: string) => string;
  readonly operations?: OperationDeps;
  readonly audit?: AuditLog;
  /** Where a posted approval card sits, so later updates edit it in place. */
  cardPosted(requestId: string, ref: { cardRef: string; threadId?: string }): Promise<void>;
  /** What chat adapters call: dispatch, card references, live service names. */
  readonly host: AdapterHost;
  /** Operation workers (execution, expiry): `start` unless --no-worker, and `worker`. */
  startWorkers(): void;
  /** The notification consumer: runs where the chat connections are. */
  startDelivery(extra?: readonly ChatDelivery[]): void;
  /** Readiness: Redis pings and canary jobs through the operations workers; none without Redis. */
  startCanary(): Canary | undefined;
  close(): Promise<void>;
}

/** Every secret the process knows (config interpolations, chat tokens) and the config's patterns. */
export function redactorFor(
  loaded: LoadedConfig,
  envOptions: EnvOptions,
): (text: string) => string {
  return createRedactor(
    [...loaded.secrets, ...envOptions.secrets],
    compileExtraPatterns(loaded.config.redact.patterns),
  );
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The composition root: config → platforms → diagnostics → operations → commands →
 * dispatcher. The only place that knows which implementation stands behind each port.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { config } = options.loaded;
  const clock = options.clock ?? systemClock;
  const log = options.log;
  const redact = redactorFor(options.loaded, options.envOptions);
  const clients = new Map<string, { platform: ContainerPlatform; operator: ServiceOperator }>();
  const clientFor = (name: string) => {
    const existing = clients.get(name);
    if (existing !== undefined) return existing;
    const env = config.environments[name];
    if (env === undefined) throw new Error(`no environment ${name}`);
    // Swarm, Compose or ECS by the environment's `platform`.
    const made = createPlatformClients(env);
    clients.set(name, made);
    return made;
  };
  const platformFor = options.platformFor ?? ((name: string) => clientFor(name).platform);
  const operatorFor = options.operatorFor ?? ((name: string) => clientFor(name).operator);
  const metrics = options.metrics;
  const baseProber = options.prober ?? createProber();
  const prober = metrics === undefined ? baseProber : instrumentProber(baseProber, metrics);
  const coalescedStatus = singleFlight((name: string) => {
    const env = config.environments[name];
    if (env === undefined) throw new Error(`no environment ${name}`);
    return checkStatus({ platform: platformFor(name), prober, clock }, env, name);
  });

  const closers: (() => Promise<void>)[] = [];
  const prefix = options.prefix ?? 'tas';
  let operations: OperationDeps | undefined;
  let audit: AuditLog | undefined;
  let store: RequestStore | undefined;
  let watchState: WatchStateStore | undefined;
  let incidentThreads: IncidentThreadStore | undefined;
  const redisUrl = options.envOptions.redisUrl;
  // Loaded only with Redis: a process without it never loads ioredis or BullMQ.
  const backed = redisUrl === undefined ? undefined : await import('./infra/redis-backed.js');
  if (redisUrl !== undefined && backed !== undefined) {
    const {
      connectRedis,
      redisOptions,
      guardRedis,
      createOperationQueue,
      createQueueNotifier,
      queueDepthReader,
      createRedisRequestStore,
      createRedisWatchStateStore,
      createRedisIncidentThreads,
      createRedisAuditLog,
    } = backed;
    const redis = await connectRedis(redisUrl);
    closers.push(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    const connection = { ...redisOptions(redisUrl), enableOfflineQueue: false };
    const where = `${connection.host}:${connection.port}`;
    const queue = guardRedis(createOperationQueue({ connection, prefix, log }), where);
    const notifier = guardRedis(createQueueNotifier({ connection, prefix, log }), where);
    closers.push(
      () => queue.close(),
      () => notifier.close(),
    );
    if (metrics !== undefined) {
      const depth = queueDepthReader({
        connection,
        prefix,
        queues: [OPERATIONS_QUEUE, NOTIFY_QUEUE],
        log,
      });
      closers.push(() => depth.close());
      const openStore = createRedisRequestStore({ redis, prefix: `${prefix}:` });
      metrics.collectFrom({
        queueDepth: () => depth.read(),
        pendingApprovals: async () => {
          const open = await openStore.open();
          return Object.keys(config.environments).map((environment) => ({
            environment,
            count: open.filter((r) => r.environment === environment && r.state === 'pending')
              .length,
          }));
        },
      });
    }
    store = guardRedis(createRedisRequestStore({ redis, prefix: `${prefix}:` }), where);
    watchState = guardRedis(createRedisWatchStateStore({ redis, prefix: `${prefix}:` }), where);
    incidentThreads = guardRedis(
      createRedisIncidentThreads({ redis, prefix: `${prefix}:` }),
      where,
    );
    audit = withAuditLogging(
      createRedisAuditLog({ redis, key: `${prefix}:audit`, clock }),
      log.child({ component: 'audit' }),
    );
    operations = {
      config,
      store,
      queue,
      notifier,
      audit,
      operatorFor,
      platformFor,
      prober,
      clock,
      log: log.child({ component: 'operations' }),
      newId: () => `r${randomBytes(3).toString('hex')}`,
      timings: options.timings ?? DEFAULT_TIMINGS,
      sleep: options.sleep ?? wait,
    };
  }
  const directory = configDirectory(config);
  const commands = createCommands({
    config,
    directory,
    clock,
    platformFor,
    checkStatus: coalescedStatus,
    ...(operations && { operations }),
    ...(audit && { audit }),
    ...(watchState && { watchState }),
    redact,
  });
  const slash = `/${config.command}`;
  const dispatcher = createDispatcher({
    slash,
    log,
    redact,
    middleware: [
      ...(metrics ? [withMetrics(metrics, clock)] : []),
      withLogger(clock),
      identify(directory),
      resolveCommand(commands, directory, slash),
      authorize(directory),
    ],
  });
  const workers: { close(): Promise<void> }[] = [];
  const cardPosted: Core['cardPosted'] = async (requestId, ref) => {
    await store?.update(requestId, (current) => ({
      request: {
        ...current,
        origin: {
          ...current.origin,
          cardRef: ref.cardRef,
          ...(ref.threadId !== undefined && { threadId: ref.threadId }),
        },
      },
      result: true,
    }));
  };
  const namesCache = new Map<string, { at: number; names: readonly string[] }>();
  const listNames = singleFlight(async (environment: string) => {
    const names = (await platformFor(environment).listServices()).map((s) => s.name);
    namesCache.set(environment, { at: clock.now().getTime(), names });
    return names;
  });
  const host: AdapterHost = {
    dispatch: (event) => dispatcher.dispatch(event),
    cardPosted,
    // Autocomplete must answer within Discord's 3 s: a 15 s cache, refreshed behind the answer.
    async serviceNames(environment, channel) {
      const name =
        environment ??
        directory.environmentForChannel(channel.platform, channel.channelId) ??
        config.defaultEnvironment ??
        Object.keys(config.environments)[0];
      if (name === undefined || config.environments[name] === undefined) return [];
      const cached = namesCache.get(name);
      if (cached !== undefined) {
        if (clock.now().getTime() - cached.at > 15_000) listNames(name).catch(() => undefined);
        return cached.names;
      }
      return listNames(name).catch(() => config.environments[name]?.services ?? []);
    },
    log,
    ...(metrics && { metrics }),
  };
  const timed = <R>(job: string, processor: (id: string) => Promise<R>) =>
    metrics === undefined ? processor : timeJob(metrics, job, processor);
  let canary: Canary | undefined;
  return {
    dispatcher,
    host,
    commands,
    redact,
    ...(operations && { operations }),
    ...(audit && { audit }),
    cardPosted,
    startWorkers() {
      if (operations === undefined || redisUrl === undefined || backed === undefined) return;
      const { startOperationWorker, startWatchScheduler, redisOptions } = backed;
      const deps = operations;
      workers.push(
        startOperationWorker({
          connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: null },
          prefix,
          log,
          ...(options.lockDurationMs !== undefined && { lockDurationMs: options.lockDurationMs }),
          processors: {
            execute: timed('execute', (id) => executeOperation(deps, id)),
            expire: timed('expire', (id) => expireRequest(deps, id)),
            giveUp: (id, reason) => giveUpOperation(deps, id, reason),
          },
        }),
      );
      resumeOpenRequests(deps).catch((error: unknown) =>
        log.warn({ err: error }, 'could not resume open requests'),
      );
      const environments = watchedEnvironments(config);
      if (watchState !== undefined && environments.length > 0 && options.watch !== false) {
        const watcher = createWatcher({
          config,
          checkStatus: coalescedStatus,
          store: watchState,
          notifier: deps.notifier,
          platformFor,
          ...(audit && { audit }),
          requests: deps.store,
          redact,
          clock,
          log: log.child({ component: 'watcher' }),
        });
        // BullMQ job schedulers: one tick per interval however many workers run.
        workers.push(
          startWatchScheduler({
            connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: null },
            prefix,
            environments,
            log,
            tick: (tick) => watcher.tick(tick.environment),
          }),
        );
      }
    },
    startDelivery(extra = []) {
      if (store === undefined || redisUrl === undefined || backed === undefined) return;
      const { startNotificationWorker, redisOptions } = backed;
      const deliveries = new Map(
        [...(options.deliveries ?? []), ...extra].map((d) => [d.platform, d]),
      );
      workers.push(
        startNotificationWorker({
          connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: null },
          prefix,
          log,
          deliver: createNotificationDelivery({
            config,
            store,
            deliveries,
            redact,
            log,
            ...(incidentThreads && { incidents: incidentThreads }),
          }),
        }),
      );
    },
    startCanary() {
      if (redisUrl === undefined || backed === undefined) return undefined;
      canary ??= backed.startCanary({
        connection: { ...backed.redisOptions(redisUrl), enableOfflineQueue: false },
        prefix,
        log: log.child({ component: 'canary' }),
      });
      return canary;
    },
    async close() {
      // No new canaries while the workers wind down.
      await canary?.close();
      // Workers first: a job in flight finishes (or goes back to the queue) before Redis closes.
      await Promise.all(workers.map((w) => w.close()));
      for (const close of closers.reverse()) await close();
    },
  };
}

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Loads and validates config and env once; prints every problem and returns undefined on failure. */
function loadAll(processEnv: Readonly<Record<string, string | undefined>>, io: CliIo) {
  // Docker secrets: `SLACK_BOT_TOKEN_FILE=/run/secrets/…` reads into SLACK_BOT_TOKEN for both readers.
  const files = resolveFileVariables(processEnv, (path) => readFileSync(path, 'utf8'));
  const env = files.ok ? files.value : processEnv;
  const loaded = loadConfig(env);
  const envOptions = readEnvOptions(env);
  const issues = [
    ...(files.ok ? [] : files.error),
    ...(loaded.ok ? [] : loaded.error),
    ...(envOptions.ok ? [] : envOptions.error),
  ];
  if (!files.ok || !loaded.ok || !envOptions.ok) {
    io.stderr.write(
      `${formatIssues(issues, { file: env.TAS_CHATOPS_CONFIG ?? '(TAS_CHATOPS_CONFIG unset)' })}\n`,
    );
    return undefined;
  }
  return { loaded: loaded.value, envOptions: envOptions.value };
}

/** What `start` and `worker` take from outside besides argv, env and io; tests replace them. */
export interface ServeHooks {
  /** The chat adapters for the configured platforms, given the host the core offers them. */
  readonly adapters?: (
    host: AdapterHost,
    envOptions: EnvOptions,
  ) => readonly ChatAdapter[] | Promise<readonly ChatAdapter[]>;
  /** Where SIGTERM and SIGINT come from (the process by default). */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** How long `check` waits for each Engine before saying it could not compare the services. */
const LIVE_CHECK_MS = 3000;

/** The CLI: arguments → one of start | worker | check | run, and an exit code. */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  hooks: ServeHooks = {},
): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`tas-chatops: ${parsed.error}\n\n${CLI_USAGE}\n`);
    return 2;
  }
  const cli = parsed.value;
  if (cli.name === 'help') {
    io.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  const all = loadAll(env, io);
  if (all === undefined) return 1;
  const { loaded, envOptions } = all;
  const { config } = loaded;
  if (cli.name === 'check') {
    const envs = Object.keys(config.environments);
    io.stdout.write(
      `✓ ${env.TAS_CHATOPS_CONFIG ?? ''}: ${Object.keys(config.people).length} people, ${envs.length} environments (${envs.join(', ')})\n`,
    );
    // A short Docker timeout: `check` must not hang where the Engine is out of reach.
    const live = await checkLiveServices(
      config,
      (name) =>
        createPlatformClients({
          ...config.environments[name]!,
          docker: { ...config.environments[name]!.docker, timeout: LIVE_CHECK_MS },
        }).platform,
      LIVE_CHECK_MS,
    );
    for (const line of live) io.stdout.write(`${line}\n`);
    return 0;
  }
  // The console chat needs a terminal; without one (a container, a service manager) `start`
  // runs headless: HTTP endpoints, workers and JSON logs.
  const interactive =
    cli.name === 'start' &&
    !envOptions.chatConfigured &&
    (io.stdin as { isTTY?: boolean }).isTTY === true;
  // In the console chat the records go to a file, so the conversation is not buried under them.
  const logFile = interactive
    ? resolvePath(envOptions.dataDir ?? DEFAULT_DATA_DIR, 'console.log')
    : undefined;
  let log: Logger;
  try {
    log = createLogger({
      level: envOptions.logLevel,
      pretty: cli.name === 'run',
      fd: cli.name === 'run' || interactive ? 2 : 1,
      redact: redactorFor(loaded, envOptions),
      ...(logFile !== undefined && { file: logFile }),
    });
  } catch (error) {
    io.stderr.write(
      `tas-chatops: cannot write the log file ${logFile ?? ''} (${error instanceof Error ? error.message : String(error)}); set TAS_CHATOPS_DATA_DIR to a writable directory.\n`,
    );
    return 1;
  }
  if (logFile !== undefined)
    io.stdout.write(
      `Logs (LOG_LEVEL=${envOptions.logLevel}) go to ${logFile}; warnings and errors also show here.\n`,
    );
  const person = ('as' in cli ? cli.as : undefined) ?? env.TAS_CHATOPS_AS ?? firstPerson(config);
  const channel =
    ('env' in cli ? cli.env : undefined) ??
    config.defaultEnvironment ??
    Object.keys(config.environments)[0] ??
    'console';
  if (cli.name === 'start' || cli.name === 'worker') {
    const session = interactive ? { person, channel } : undefined;
    return serve({ cli, loaded, envOptions, env, log, io, hooks, ...(session && { session }) });
  }
  const core = await createCore({
    loaded,
    envOptions,
    log,
    deliveries: [consoleDelivery(io.stdout)],
  });
  try {
    if (cli.name === 'run') return await runOnce(core, cli, person, channel, io);
    if (core.audit === undefined) {
      io.stderr.write('tas-chatops: the audit trail lives in Redis; set REDIS_URL.\n');
      return 1;
    }
    return await verifyAudit(core.audit, io.stdout);
  } finally {
    await core.close();
  }
}

const DEFAULT_HTTP_HOST = '0.0.0.0';
const DEFAULT_DATA_DIR = '.tas-chatops';

const NO_REDIS =
  'No Redis: REDIS_URL is unset and redis-server is not on the PATH. Status and logs work; privileged operations ' +
  '(restart, scale, stop, start, rollback), approvals and the audit trail need Redis. To turn them on, install ' +
  'redis-server (Debian/Ubuntu: apt-get install redis-server) and start again, which runs a private one, or set ' +
  'REDIS_URL=redis://HOST:6379 to use a Redis you run.';

interface ServeOptions {
  readonly cli: { readonly name: 'start'; readonly worker: boolean } | { readonly name: 'worker' };
  readonly loaded: LoadedConfig;
  readonly envOptions: EnvOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  readonly io: CliIo;
  readonly hooks: ServeHooks;
  /** Set for the interactive console chat. */
  readonly session?: { readonly person: string; readonly channel: string };
}

/**
 * The chat adapters the environment configures: Slack (Socket Mode or HTTP) and Discord. Each
 * is loaded only when configured: bolt and discord.js are most of a process's memory.
 */
async function chatAdapters(
  host: AdapterHost,
  envOptions: EnvOptions,
  core: Core,
  config: LoadedConfig['config'],
): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (envOptions.slack !== undefined) {
    const { createSlackAdapter } = await import('../adapters/slack/create-slack-adapter.js');
    adapters.push(createSlackAdapter(host, { slack: envOptions.slack, command: config.command }));
  }
  if (envOptions.discord !== undefined) {
    const { createDiscordAdapter } = await import('../adapters/discord/create-discord-adapter.js');
    adapters.push(
      createDiscordAdapter(host, {
        discord: envOptions.discord,
        command: config.command,
        commands: core.commands,
      }),
    );
  }
  return adapters;
}

/**
 * The first SIGTERM or SIGINT starts the graceful shutdown; a second one ends the process at
 * once (jobs still running go back to the queue when their lock expires).
 */
function shutdownSignal(signals: Pick<NodeJS.Process, 'on' | 'off'>, log: Logger) {
  let received = 0;
  let resolve: () => void = () => undefined;
  const requested = new Promise<void>((done) => (resolve = done));
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      log.info({ signal }, 'shutting down: readiness off, intake stopped, in-flight jobs finish');
      resolve();
    } else {
      log.warn({ signal }, 'second signal: exiting now; jobs in flight go back to the queue');
      process.exit(130);
    }
  };
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  return {
    requested,
    dispose() {
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
    },
  };
}

/** REDIS_URL, else (for `start`) a private redis-server when one is on the PATH, else none. */
async function chooseRedis(
  options: ServeOptions,
): Promise<{ url?: string; embedded?: EmbeddedRedis } | 'fail'> {
  const { envOptions, log, io } = options;
  if (envOptions.redisUrl !== undefined) return { url: envOptions.redisUrl };
  if (options.cli.name === 'worker') {
    io.stderr.write(
      'tas-chatops: worker needs REDIS_URL, the Redis the bot uses (e.g. REDIS_URL=redis://redis:6379).\n',
    );
    return 'fail';
  }
  const command = findOnPath('redis-server', options.env.PATH);
  if (command === undefined) {
    log.warn({}, NO_REDIS);
    return {};
  }
  try {
    const dir = join(envOptions.dataDir ?? DEFAULT_DATA_DIR, 'redis');
    const embedded = await startEmbeddedRedis({
      dir,
      command,
      log: log.child({ component: 'embedded-redis' }),
    });
    return { url: embedded.url, embedded };
  } catch (error) {
    if (!(error instanceof EmbeddedRedisError)) throw error;
    io.stderr.write(`tas-chatops: ${error.message}\n`);
    return 'fail';
  }
}

/** createCore, retried while Redis is unreachable at boot (readiness says so meanwhile). */
async function connectCore(
  options: CoreOptions,
  readiness: Readiness,
  stop: Promise<void>,
): Promise<Core | undefined> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createCore(options);
    } catch (error) {
      if (!(error instanceof DependencyError) || error.dependency !== 'redis') throw error;
      readiness.use([{ name: 'redis', check: () => ({ ok: false, detail: error.message }) }]);
      options.log.warn({ err: error, attempt }, 'Redis is not reachable yet; retrying');
      await Promise.race([stop, wait(Math.min(attempt * 500, 5000))]);
      if (stopped) return undefined;
    }
  }
}

function readinessChecks(
  canary: Canary | undefined,
  adapters: readonly ChatAdapter[],
): ReadinessCheck[] {
  const off = { ok: true, detail: 'no Redis configured: privileged operations are off' };
  return [
    { name: 'redis', check: () => canary?.redis() ?? off },
    { name: 'workers', check: () => canary?.workers() ?? off },
    ...adapters.map((adapter) => ({
      name: adapter.platform,
      check: () =>
        adapter.connected()
          ? { ok: true, detail: 'connected' }
          : { ok: false, detail: 'not connected' },
    })),
  ];
}

/**
 * `start` and `worker`: HTTP endpoints first (liveness answers at once), then Redis, the core,
 * workers, delivery and chat adapters; readiness once all of them are up. On SIGTERM/SIGINT the
 * reverse: readiness off at once, intake stops (adapters, HTTP routes other than health),
 * in-flight jobs finish, connections close, the embedded Redis stops last.
 */
async function serve(options: ServeOptions): Promise<number> {
  const { cli, loaded, log, io } = options;
  const signal = shutdownSignal(options.hooks.signals ?? process, log);
  const metrics = createBotMetrics({ log, redact: redactorFor(loaded, options.envOptions) });
  const readiness = createReadiness([
    { name: 'startup', check: () => ({ ok: false, detail: 'starting' }) },
  ]);
  const http = createHttpServer({
    readiness: () => readiness.report(),
    metrics: () => metrics.render(),
    log: log.child({ component: 'http' }),
  });
  const host = options.envOptions.httpHost ?? DEFAULT_HTTP_HOST;
  try {
    const address = await http.listen(options.envOptions.port, host);
    log.info(
      { host: address.address, port: address.port },
      'HTTP endpoints listening: /health, /health/ready, /metrics',
    );
  } catch (error) {
    signal.dispose();
    io.stderr.write(
      `tas-chatops: cannot listen on ${host}:${options.envOptions.port} (${error instanceof Error ? error.message : String(error)}); set PORT to a free port.\n`,
    );
    return 1;
  }
  let embedded: EmbeddedRedis | undefined;
  try {
    const redis = await chooseRedis(options);
    if (redis === 'fail') return 1;
    embedded = redis.embedded;
    const envOptions = {
      ...options.envOptions,
      ...(redis.url !== undefined && { redisUrl: redis.url }),
    };
    const deliveries = [consoleDelivery(options.session ? io.stdout : io.stderr)];
    const core = await connectCore(
      { loaded, envOptions, log, metrics, deliveries },
      readiness,
      signal.requested,
    );
    if (core === undefined) return 0;
    try {
      return await run(core, envOptions);
    } finally {
      await core.close();
    }
  } finally {
    signal.dispose();
    await http.close();
    await embedded?.stop();
    log.info({}, 'stopped');
  }

  async function run(core: Core, envOptions: EnvOptions): Promise<number> {
    if (cli.name === 'worker' || cli.worker) core.startWorkers();
    const adapters =
      cli.name === 'start'
        ? [
            ...(await (
              options.hooks.adapters ??
              ((host, env) => chatAdapters(host, env, core, loaded.config))
            )(core.host, envOptions)),
          ]
        : [];
    if (cli.name === 'start') core.startDelivery(adapters);
    for (const adapter of adapters) {
      if (adapter.http !== undefined) http.mount(adapter.http);
      await adapter.start();
    }
    readiness.use(readinessChecks(core.startCanary(), adapters));
    log.info(
      { workers: cli.name === 'worker' || cli.worker, adapters: adapters.map((a) => a.platform) },
      cli.name === 'worker' ? 'workers started' : 'bot started',
    );
    if (options.session !== undefined) {
      const session = runConsoleSession({
        dispatcher: core.dispatcher,
        input: io.stdin,
        output: io.stdout,
        ...options.session,
        people: Object.keys(loaded.config.people),
        slash: `/${loaded.config.command}`,
      });
      await Promise.race([session, signal.requested]);
      io.stdin.destroy();
    } else {
      await signal.requested;
    }
    readiness.stop();
    http.drain();
    for (const adapter of adapters) await adapter.stop();
    return 0;
  }
}

function firstPerson(config: LoadedConfig['config']): string {
  // The console is the operator's own terminal: default to someone who can do the most.
  const people = Object.keys(config.people);
  const lead = config.roles.lead?.[0];
  return lead ?? people[0] ?? 'operator';
}

async function runOnce(
  core: Core,
  cli: { json: boolean; text: string },
  person: string,
  channel: string,
  io: CliIo,
): Promise<number> {
  const reply = await core.dispatcher.dispatch(consoleEvent(cli.text, person, channel));
  const failed = typeof reply.data === 'object' && reply.data !== null && 'error' in reply.data;
  if (cli.json) {
    io.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
  } else {
    io.stdout.write(`${renderText(reply)}\n`);
    for (const attachment of reply.attachments ?? []) {
      const path = await saveAttachment(attachment.filename, attachment.content);
      io.stdout.write(`  saved to ${path}\n`);
    }
  }
  return failed ? 1 : 0;
}

async function saveAttachment(filename: string, content: string): Promise<string> {
  const dir = join(tmpdir(), 'tas-chatops');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${Date.now()}-${filename.replace(/[^\w.-]/g, '_')}`);
  await writeFile(path, content);
  return path;
}

/** The process entry: the only place that reads `process.env` and `process.argv`. */
export function runFromProcess(): Promise<number> {
  return runCli(process.argv.slice(2), process.env, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
