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
import { readEnvOptions, resolveFileVariables } from './config/env-options.js';
import { formatIssues } from './config/format-issues.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './infra/create-logger.js';
import type { AdapterHost, ChatAdapter } from './core/ports/chat-adapter.js';
import { DependencyError } from './core/errors.js';
import type { Canary } from './infra/bullmq/canary.js';
import {
  EmbeddedRedisError,
  findOnPath,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from './infra/redis/embedded-redis.js';
import { createHttpServer } from './infra/http/create-http-server.js';
import { createReadiness, type Readiness, type ReadinessCheck } from './infra/http/readiness.js';
import { createBotMetrics } from './infra/metrics/bot-metrics.js';
import type { EnvOptions } from './config/env-options.js';
import type { LoadedConfig } from './config/load-config.js';
import type { Logger } from './core/ports/logger.js';
import { createPlatformClients } from './infra/create-platform-clients.js';
import { checkLiveServices } from './config/cross-check-live-services.js';

import { createApp, redactorFor, wait, type App, type AppOptions } from './app/create-app.js';

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
  const core = await createApp({
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
  core: App,
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

/** createApp, retried while Redis is unreachable at boot (readiness says so meanwhile). */
async function connectCore(
  options: AppOptions,
  readiness: Readiness,
  stop: Promise<void>,
): Promise<App | undefined> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createApp(options);
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

  async function run(core: App, envOptions: EnvOptions): Promise<number> {
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
  core: App,
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
