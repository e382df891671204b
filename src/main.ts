import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { consoleDelivery } from '../adapters/console/console-delivery.js';
import { runConsoleSession } from '../adapters/console/console-session.js';
import { consoleEvent } from '../adapters/console/console-event.js';
import { renderText } from '../adapters/console/render-text.js';
import { verifyAudit } from './cli/audit-verify.js';
import { CLI_USAGE, parseCliArgs } from './cli/parse-cli-args.js';
import { createCommands } from './commands/index.js';
import { readEnvOptions } from './config/env-options.js';
import { formatIssues } from './config/format-issues.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './infra/create-logger.js';
import { randomBytes } from 'node:crypto';
import type { AuditLog } from './audit/audit-log.js';
import { withAuditLogging } from './audit/audit-log.js';
import type { ChatDelivery } from './core/ports/chat-delivery.js';
import type { AdapterHost } from './core/ports/chat-adapter.js';
import type { ServiceOperator } from './core/ports/service-operator.js';
import { createOperationQueue } from './infra/bullmq/bullmq-operation-queue.js';
import { startOperationWorker } from './infra/bullmq/operation-worker.js';
import { createQueueNotifier, startNotificationWorker } from './infra/bullmq/queue-notifier.js';
import { createSwarmOperator } from './infra/docker/swarm-operator.js';
import { connectRedis, redisOptions } from './infra/redis/connect-redis.js';
import { guardRedis } from './infra/redis/guard-redis.js';
import { createRedisAuditLog } from './infra/redis/redis-audit-log.js';
import { createRedisRequestStore } from './infra/redis/redis-request-store.js';
import { expireRequest, resumeOpenRequests } from './operations/decide-request.js';
import { createNotificationDelivery } from './operations/deliver-notification.js';
import { executeOperation } from './operations/execute-operation.js';
import { DEFAULT_TIMINGS, type OperationDeps, type VerifyTimings } from './operations/operation-deps.js';
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
import { createDockerClient } from './infra/docker/create-docker-client.js';
import { createSwarmPlatform } from './infra/docker/swarm-platform.js';
import { createProber } from './infra/probes/undici-prober.js';
import { createRedactor } from './lib/redact.js';
import { singleFlight } from './lib/single-flight.js';

export interface CoreOptions {
  readonly loaded: LoadedConfig;
  readonly envOptions: EnvOptions;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Overrides for tests and benchmarks (a prober with a custom dispatcher, a counting platform). */
  readonly platformFor?: (environment: string) => ContainerPlatform;
  readonly prober?: Prober;
  /** Chat platforms that receive notifications (progress, card updates, channel notices). */
  readonly deliveries?: readonly ChatDelivery[];
  /** Redis key and queue prefix; tests use a unique one. */
  readonly prefix?: string;
  readonly timings?: VerifyTimings;
  /** How soon a dead worker's job is handed over (tests shorten it). */
  readonly lockDurationMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
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
  startDelivery(): void;
  close(): Promise<void>;
}

/** Every secret the process knows: config interpolations and chat tokens. */
export function redactorFor(loaded: LoadedConfig, envOptions: EnvOptions): (text: string) => string {
  return createRedactor([...loaded.secrets, ...envOptions.secrets]);
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
    const host = env.docker.host;
    const docker = createDockerClient({ host, timeoutMs: env.docker.timeout });
    const made = {
      platform: createSwarmPlatform({ docker, stack: env.stack, host }),
      operator: createSwarmOperator({ docker, stack: env.stack, host, timeoutMs: env.docker.timeout }),
    };
    clients.set(name, made);
    return made;
  };
  const platformFor = options.platformFor ?? ((name: string) => clientFor(name).platform);
  const operatorFor = (name: string) => clientFor(name).operator;
  const prober = options.prober ?? createProber();
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
  const redisUrl = options.envOptions.redisUrl;
  if (redisUrl !== undefined) {
    const redis = await connectRedis(redisUrl);
    closers.push(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    const connection = { ...redisOptions(redisUrl), enableOfflineQueue: false };
    const where = `${connection.host}:${connection.port}`;
    const queue = guardRedis(createOperationQueue({ connection, prefix, log }), where);
    const notifier = guardRedis(createQueueNotifier({ connection, prefix, log }), where);
    closers.push(() => queue.close(), () => notifier.close());
    store = guardRedis(createRedisRequestStore({ redis, prefix: `${prefix}:` }), where);
    audit = withAuditLogging(createRedisAuditLog({ redis, key: `${prefix}:audit`, clock }), log.child({ component: 'audit' }));
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
  });
  const slash = `/${config.command}`;
  const dispatcher = createDispatcher({
    slash,
    log,
    redact,
    middleware: [withLogger(clock), identify(directory), resolveCommand(commands, directory, slash), authorize(directory)],
  });
  const workers: { close(): Promise<void> }[] = [];
  const cardPosted: Core['cardPosted'] = async (requestId, ref) => {
    await store?.update(requestId, (current) => ({
      request: { ...current, origin: { ...current.origin, cardRef: ref.cardRef, ...(ref.threadId !== undefined && { threadId: ref.threadId }) } },
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
      const name = environment ?? directory.environmentForChannel(channel.platform, channel.channelId) ?? config.defaultEnvironment ?? Object.keys(config.environments)[0];
      if (name === undefined || config.environments[name] === undefined) return [];
      const cached = namesCache.get(name);
      if (cached !== undefined) {
        if (clock.now().getTime() - cached.at > 15_000) listNames(name).catch(() => undefined);
        return cached.names;
      }
      return listNames(name).catch(() => config.environments[name]?.services ?? []);
    },
    log,
  };
  return {
    dispatcher,
    host,
    commands,
    redact,
    ...(operations && { operations }),
    ...(audit && { audit }),
    cardPosted,
    startWorkers() {
      if (operations === undefined || redisUrl === undefined) return;
      const deps = operations;
      workers.push(
        startOperationWorker({
          connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: null },
          prefix,
          log,
          ...(options.lockDurationMs !== undefined && { lockDurationMs: options.lockDurationMs }),
          processors: { execute: (id) => executeOperation(deps, id), expire: (id) => expireRequest(deps, id) },
        }),
      );
      resumeOpenRequests(deps).catch((error: unknown) => log.warn({ err: error }, 'could not resume open requests'));
    },
    startDelivery() {
      if (store === undefined || redisUrl === undefined) return;
      const deliveries = new Map((options.deliveries ?? []).map((d) => [d.platform, d]));
      workers.push(
        startNotificationWorker({
          connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: null },
          prefix,
          log,
          deliver: createNotificationDelivery({ config, store, deliveries, redact, log }),
        }),
      );
    },
    async close() {
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
function loadAll(env: Readonly<Record<string, string | undefined>>, io: CliIo) {
  const loaded = loadConfig(env);
  const envOptions = readEnvOptions(env);
  const issues = [...(loaded.ok ? [] : loaded.error), ...(envOptions.ok ? [] : envOptions.error)];
  if (!loaded.ok || !envOptions.ok) {
    io.stderr.write(`${formatIssues(issues, { file: env.TAS_CHATOPS_CONFIG ?? '(TAS_CHATOPS_CONFIG unset)' })}\n`);
    return undefined;
  }
  return { loaded: loaded.value, envOptions: envOptions.value };
}

/** The CLI: arguments → one of start | worker | check | run, and an exit code. */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
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
    io.stdout.write(`✓ ${env.TAS_CHATOPS_CONFIG ?? ''}: ${Object.keys(config.people).length} people, ${envs.length} environments (${envs.join(', ')})\n`);
    return 0;
  }
  const interactive = cli.name === 'start' && !envOptions.chatConfigured;
  const log = createLogger({
    level: envOptions.logLevel,
    pretty: cli.name === 'run' || interactive,
    fd: cli.name === 'run' || interactive ? 2 : 1,
    redact: redactorFor(loaded, envOptions),
  });
  const core = await createCore({ loaded, envOptions, log, deliveries: [consoleDelivery(io.stdout)] });
  const person = ('as' in cli ? cli.as : undefined) ?? env.TAS_CHATOPS_AS ?? firstPerson(config);
  const channel = ('env' in cli ? cli.env : undefined) ?? config.defaultEnvironment ?? Object.keys(config.environments)[0] ?? 'console';
  try {
    if (cli.name === 'run') return await runOnce(core, cli, person, channel, io);
    if (cli.name === 'audit-verify') {
      if (core.audit === undefined) {
        io.stderr.write('tas-chatops: the audit trail lives in Redis; set REDIS_URL.\n');
        return 1;
      }
      return await verifyAudit(core.audit, io.stdout);
    }
    if (cli.name === 'worker' || (cli.name === 'start' && cli.worker)) core.startWorkers();
    if (cli.name === 'worker') {
      log.info({}, 'workers started');
      await untilSignal();
      return 0;
    }
    if (interactive) {
      core.startDelivery();
      await runConsoleSession({
        dispatcher: core.dispatcher,
        input: io.stdin,
        output: io.stdout,
        person,
        channel,
        people: Object.keys(config.people),
        slash: `/${config.command}`,
      });
      return 0;
    }
    io.stderr.write('tas-chatops: the Slack and Discord adapters are not built yet; unset the chat tokens to use the console.\n');
    return 1;
  } finally {
    await core.close();
  }
}

/** Resolves on the first SIGTERM or SIGINT; the caller then shuts down in reverse order. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
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
