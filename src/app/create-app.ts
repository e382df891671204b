import type { AuditLog } from '../audit/audit-log.js';
import { configDirectory } from '../commands/config-directory.js';
import { createCommands } from '../commands/index.js';
import type { EnvOptions } from '../config/env-options.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { Command } from '../core/command.js';
import type { Dispatcher } from '../core/dispatcher.js';
import type { AdapterHost } from '../core/ports/chat-adapter.js';
import type { ChatDelivery } from '../core/ports/chat-delivery.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { DeliveryLedger } from '../core/ports/delivery-ledger.js';
import type { Logger } from '../core/ports/logger.js';
import type { Prober } from '../core/ports/prober.js';
import type { ServiceOperator } from '../core/ports/service-operator.js';
import { checkStatus, type StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { BotMetrics } from '../infra/metrics/bot-metrics.js';
import { instrumentProber } from '../infra/metrics/instrument-prober.js';
import { createProber } from '../infra/probes/create-prober.js';
import { createMemoryDeliveryLedger } from '../lib/recent-ids.js';
import { singleFlight } from '../lib/single-flight.js';
import type { OperationDeps, VerifyTimings } from '../operations/operation-deps.js';
import { createAdapterHost } from './adapter-host.js';
import { environmentClients } from './environment-clients.js';
import { redactorFor } from './redactor-for.js';
import { SHARED_CLAIM_TIMEOUT_MS, sharedDeliveryLedger } from './shared-delivery-ledger.js';
import { connectRedisPorts, type RedisPorts } from './redis-ports.js';
import { backgroundWork, type BackgroundWork } from './background-work.js';
import { wireDispatcher } from './wire-dispatcher.js';
import { wireOperations } from './wire-operations.js';

export { redactorFor };

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

export interface App extends BackgroundWork {
  readonly dispatcher: Dispatcher;
  readonly commands: readonly Command[];
  readonly redact: (text: string) => string;
  readonly operations?: OperationDeps;
  readonly audit?: AuditLog;
  /** What chat adapters call: dispatch (approval cards are posted by it), live service names. */
  readonly host: AdapterHost;
}

/**
 * The composition root: config → platforms → diagnostics → operations → commands → dispatcher.
 * The only place that knows which implementation stands behind each port. It builds and
 * connects; it listens to nothing and starts no worker until asked (`serve` does that).
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options.loaded;
  const { log, metrics } = options;
  const clock = options.clock ?? systemClock;
  const redact = redactorFor(options.loaded, options.envOptions);
  const { platformFor, operatorFor } = environmentClients(config, options);
  const prober = instrumented(options.prober ?? createProber(), metrics);
  const coalescedStatus = coalescedStatusCheck(config, platformFor, prober, clock);
  const ports = await redisPortsFor(options, clock);
  const operations =
    ports &&
    wireOperations(ports, {
      config,
      platformFor,
      operatorFor,
      prober,
      clock,
      log,
      timings: options.timings,
      sleep: options.sleep,
    });
  const directory = configDirectory(config);
  const commands = createCommands({
    config,
    directory,
    clock,
    platformFor,
    checkStatus: coalescedStatus,
    ...(operations && { operations }),
    ...(ports && { audit: ports.audit, watchState: ports.watchState }),
    redact,
  });
  const dispatcher = wireDispatcher({ config, directory, commands, clock, log, redact, metrics });
  // One map for the host (approval cards) and the notification delivery (everything after).
  const deliveries = new Map((options.deliveries ?? []).map((d) => [d.platform, d]));
  const hostDeps = {
    config,
    directory,
    dispatcher,
    store: ports?.store,
    deliveries,
    platformFor,
    clock,
    log,
    ledger: deliveryLedger(ports, log),
    ...(ports && { intakeFor: ports.intakeFor }),
    ...(metrics && { metrics }),
    ...(options.envOptions.testDispatchDelayMs !== undefined && {
      testDispatchDelayMs: options.envOptions.testDispatchDelayMs,
    }),
  };
  const host = createAdapterHost(hostDeps);
  return {
    dispatcher,
    host,
    commands,
    redact,
    ...(operations && { operations, audit: operations.audit }),
    ...backgroundWork({
      config,
      ports,
      operations,
      deliveries,
      workers: {
        checkStatus: coalescedStatus,
        platformFor,
        redact,
        log,
        ...(metrics && { metrics }),
        ...(options.lockDurationMs !== undefined && { lockDurationMs: options.lockDurationMs }),
        ...(options.watch !== undefined && { watch: options.watch }),
      },
    }),
  };
}

/** Shared through Redis when there is one, so each delivery is answered by one process. */
function deliveryLedger(ports: { readonly ledger: DeliveryLedger } | undefined, log: Logger) {
  const local = createMemoryDeliveryLedger({ max: 10_000 });
  if (ports === undefined) return local;
  return sharedDeliveryLedger({
    shared: ports.ledger,
    local,
    timeoutMs: SHARED_CLAIM_TIMEOUT_MS,
    log: log.child({ component: 'delivery-ledger' }),
  });
}

/** Only with Redis: a process without it never loads ioredis or BullMQ. */
async function redisPortsFor(options: AppOptions, clock: Clock): Promise<RedisPorts | undefined> {
  const { redisUrl: url, redisWait: wait } = options.envOptions;
  if (url === undefined) return undefined;
  return connectRedisPorts({ url, prefix: options.prefix ?? 'tas', clock, log: options.log, wait });
}

function instrumented(prober: Prober, metrics: BotMetrics | undefined): Prober {
  return metrics === undefined ? prober : instrumentProber(prober, metrics);
}

/** `/tas status` and the watcher: fifty concurrent asks for one environment cost one check. */
function coalescedStatusCheck(
  config: Config,
  platformFor: (environment: string) => ContainerPlatform,
  prober: Prober,
  clock: Clock,
): (environment: string) => Promise<StatusSnapshot> {
  return singleFlight((name: string) => {
    const env = config.environments[name];
    if (env === undefined) throw new Error(`no environment ${name}`);
    return checkStatus({ platform: platformFor(name), prober, clock }, env, name);
  });
}
