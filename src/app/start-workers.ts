import type { StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { BotMetrics } from '../infra/metrics/bot-metrics.js';
import { timeJob } from '../infra/metrics/time-job.js';
import { expireRequest, resumeOpenRequests } from '../operations/decide-request.js';
import { executeOperation, giveUpOperation } from '../operations/execute-operation.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import { reconcile } from '../operations/reconcile.js';
import { createWatcher, watchedEnvironments } from '../watcher/create-watcher.js';
import type { RedisPorts } from './redis-ports.js';

export interface WorkerDeps {
  readonly ports: RedisPorts;
  readonly operations: OperationDeps;
  readonly checkStatus: (environment: string) => Promise<StatusSnapshot>;
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly redact: (text: string) => string;
  readonly log: Logger;
  readonly metrics?: BotMetrics;
  /** How soon a dead worker's job is handed over (tests shorten it). */
  readonly lockDurationMs?: number;
  /** Run the watcher's schedulers (default); tests that drive ticks turn it off. */
  readonly watch?: boolean;
  /** How often the reconciler runs across all workers; 5 s by default. */
  readonly reconcileEveryMs?: number;
}

type Closable = { close(): Promise<void> };

/**
 * The operation worker (execute, expire, give up), the open requests picked up again after a
 * restart, the reconciler's scheduler (requests whose state, queue, claims or card disagree,
 * repaired within a few ticks) and (with environments to watch) the watcher's schedulers.
 * Returns what to close.
 */
export function startWorkers(deps: WorkerDeps): Closable[] {
  const { ports, operations, metrics, log } = deps;
  const timed = <R>(job: string, processor: (id: string) => Promise<R>) =>
    metrics === undefined ? processor : timeJob(metrics, job, processor);
  const worker = ports.implementations.startOperationWorker({
    connection: ports.consumer,
    prefix: ports.prefix,
    log,
    ...(deps.lockDurationMs !== undefined && { lockDurationMs: deps.lockDurationMs }),
    processors: {
      execute: (id, ownsJob) =>
        timed('execute', (request) => executeOperation({ ...operations, ownsJob }, request))(id),
      expire: timed('expire', (id) => expireRequest(operations, id)),
      giveUp: (id, reason) => giveUpOperation(operations, id, reason),
    },
  });
  resumeOpenRequests(operations).catch((error: unknown) =>
    log.warn({ err: error }, 'could not resume open requests'),
  );
  const reconciler = ports.implementations.startReconcileScheduler({
    connection: ports.consumer,
    prefix: ports.prefix,
    log,
    ...(deps.reconcileEveryMs !== undefined && { everyMs: deps.reconcileEveryMs }),
    tick: (previous) => reconcile(operations, previous),
  });
  if (deps.watch === false) return [worker, reconciler];
  const scheduler = startWatcher(deps);
  return scheduler === undefined ? [worker, reconciler] : [worker, reconciler, scheduler];
}

/** The watcher on BullMQ job schedulers: one tick per interval however many workers run. */
function startWatcher(deps: WorkerDeps): Closable | undefined {
  const { ports, operations, log } = deps;
  const { config, clock } = operations;
  const environments = watchedEnvironments(config);
  if (environments.length === 0) return undefined;
  const watcher = createWatcher({
    config,
    checkStatus: deps.checkStatus,
    store: ports.watchState,
    notifier: operations.notifier,
    platformFor: deps.platformFor,
    audit: ports.audit,
    requests: operations.store,
    redact: deps.redact,
    clock,
    log: log.child({ component: 'watcher' }),
  });
  return ports.implementations.startWatchScheduler({
    connection: ports.consumer,
    prefix: ports.prefix,
    environments,
    log,
    tick: (tick) => watcher.tick(tick.environment),
  });
}
