import { createCommands } from '../commands/index.js';
import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import { withAuditLogging } from '../audit/audit-log.js';
import type { ChatDelivery } from '../core/ports/chat-delivery.js';
import type { AdapterHost } from '../core/ports/chat-adapter.js';
import { createAdapterHost } from './adapter-host.js';
import { withMetrics } from '../core/middleware/with-metrics.js';
import type { ServiceOperator } from '../core/ports/service-operator.js';
import type { Canary } from '../infra/bullmq/canary.js';
import { NOTIFY_QUEUE, OPERATIONS_QUEUE } from '../infra/bullmq/queue-names.js';
import type { IncidentThreadStore, WatchStateStore } from '../core/ports/watch-state-store.js';
import { createWatcher, watchedEnvironments } from '../watcher/create-watcher.js';
import { type BotMetrics } from '../infra/metrics/bot-metrics.js';
import { instrumentProber } from '../infra/metrics/instrument-prober.js';
import { timeJob } from '../infra/metrics/time-job.js';
import { expireRequest, resumeOpenRequests } from '../operations/decide-request.js';
import { createNotificationDelivery } from '../operations/deliver-notification.js';
import { executeOperation, giveUpOperation } from '../operations/execute-operation.js';
import {
  DEFAULT_TIMINGS,
  type OperationDeps,
  type VerifyTimings,
} from '../operations/operation-deps.js';
import type { RequestStore } from '../core/ports/request-store.js';
import { configDirectory } from '../commands/config-directory.js';
import type { EnvOptions } from '../config/env-options.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { Command } from '../core/command.js';
import { createDispatcher, type Dispatcher } from '../core/dispatcher.js';
import { authorize } from '../core/middleware/authorize.js';
import { identify } from '../core/middleware/identify.js';
import { resolveCommand } from '../core/middleware/resolve-command.js';
import { withLogger } from '../core/middleware/with-logger.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { Prober } from '../core/ports/prober.js';
import { checkStatus } from '../diagnostics/status/check-status.js';
import { createPlatformClients } from '../infra/create-platform-clients.js';
import { createProber } from '../infra/probes/undici-prober.js';
import { createRedactor } from '../lib/redact.js';
import { compileExtraPatterns } from '../lib/redact-extra-patterns.js';
import { singleFlight } from '../lib/single-flight.js';

export interface AppOptions {
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

export interface App {
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

export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The composition root: config → platforms → diagnostics → operations → commands →
 * dispatcher. The only place that knows which implementation stands behind each port.
 */
export async function createApp(options: AppOptions): Promise<App> {
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
  const backed = redisUrl === undefined ? undefined : await import('../infra/redis-backed.js');
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
  const host = createAdapterHost({
    config,
    directory,
    dispatcher,
    store,
    platformFor,
    clock,
    log,
    ...(metrics && { metrics }),
  });
  const cardPosted: App['cardPosted'] = (requestId, ref) => host.cardPosted(requestId, ref);
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
