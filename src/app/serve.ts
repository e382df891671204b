import type { Readable, Writable } from 'node:stream';
import { consoleDelivery } from '../../adapters/console/console-delivery.js';
import { runConsoleSession } from '../../adapters/console/console-session.js';
import type { EnvOptions } from '../config/env-options.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { AdapterHost, ChatAdapter } from '../core/ports/chat-adapter.js';
import type { Logger } from '../core/ports/logger.js';
import { createHttpServer, type BotHttpServer } from '../infra/http/create-http-server.js';
import { createReadiness, type Readiness } from '../infra/http/readiness.js';
import { createBotMetrics } from '../infra/metrics/bot-metrics.js';
import { chatAdapters } from './chat-adapters.js';
import { chooseRedis } from './choose-redis.js';
import { connectApp } from './connect-app.js';
import type { App } from './create-app.js';
import { readinessChecks } from './readiness-checks.js';
import { redactorFor } from './redactor-for.js';
import { shutdownSignal, type ShutdownSignal, type SignalSource } from './shutdown-signal.js';

/** What `start` and `worker` take from outside besides config and io; tests replace them. */
export interface ServeHooks {
  /** The chat adapters for the configured platforms, given the host the app offers them. */
  readonly adapters?: (
    host: AdapterHost,
    envOptions: EnvOptions,
  ) => readonly ChatAdapter[] | Promise<readonly ChatAdapter[]>;
  /** Where SIGTERM and SIGINT come from (the process by default). */
  readonly signals?: SignalSource;
  /** What a second signal calls (process.exit by default). */
  readonly exit?: (code: number) => void;
}

export interface ServeIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface ServeOptions {
  /** `start` (chat adapters, delivery and, unless --no-worker, workers) or `worker` alone. */
  readonly mode: { readonly name: 'start'; readonly worker: boolean } | { readonly name: 'worker' };
  readonly loaded: LoadedConfig;
  readonly envOptions: EnvOptions;
  /** The PATH to look for redis-server on, for the embedded Redis. */
  readonly searchPath: string | undefined;
  readonly log: Logger;
  readonly io: ServeIo;
  readonly hooks: ServeHooks;
  /** Set for the interactive console chat: who types, in which environment's channel. */
  readonly session?: { readonly person: string; readonly channel: string };
}

const DEFAULT_HTTP_HOST = '0.0.0.0';

/**
 * `start` and `worker`: HTTP endpoints first (liveness answers at once), then Redis, the app,
 * workers, delivery and chat adapters; readiness once all of them are up. On SIGTERM/SIGINT the
 * reverse: readiness off at once, intake stops (adapters, HTTP routes other than health),
 * in-flight jobs finish, connections close, the embedded Redis stops last. Returns the exit code.
 */
export async function serve(options: ServeOptions): Promise<number> {
  const { loaded, log, io, hooks } = options;
  const exit = hooks.exit ?? ((code: number) => process.exit(code));
  const signal = shutdownSignal(hooks.signals ?? process, log, exit);
  const metrics = createBotMetrics({ log, redact: redactorFor(loaded, options.envOptions) });
  const readiness = createReadiness([
    { name: 'startup', check: () => ({ ok: false, detail: 'starting' }) },
  ]);
  const http = createHttpServer({
    readiness: () => readiness.report(),
    metrics: () => metrics.render(),
    log: log.child({ component: 'http' }),
  });
  if (!(await listen(http, options))) {
    signal.dispose();
    return 1;
  }
  let stopEmbedded: (() => Promise<void>) | undefined;
  try {
    const redis = await chooseRedis({ ...options, mode: options.mode.name });
    if (!redis.ok) {
      io.stderr.write(`tas-chatops: ${redis.error}\n`);
      return 1;
    }
    const { url, embedded } = redis.value;
    stopEmbedded = embedded && (() => embedded.stop());
    const envOptions = { ...options.envOptions, ...(url !== undefined && { redisUrl: url }) };
    const deliveries = [
      consoleDelivery(options.session ? io.stdout : io.stderr, `/${loaded.config.command}`),
    ];
    const app = await connectApp(
      { loaded, envOptions, log, metrics, deliveries },
      readiness,
      signal.requested,
    );
    if (app === undefined) return 0;
    try {
      return await runApp(app, { ...options, envOptions }, { http, readiness, signal });
    } finally {
      await app.close();
    }
  } finally {
    signal.dispose();
    await http.close();
    await stopEmbedded?.();
    log.info({}, 'stopped');
  }
}

/** Listens for /health, /health/ready and /metrics; false (after saying why) when it cannot. */
async function listen(http: BotHttpServer, options: ServeOptions): Promise<boolean> {
  const host = options.envOptions.httpHost ?? DEFAULT_HTTP_HOST;
  try {
    const address = await http.listen(options.envOptions.port, host);
    options.log.info(
      { host: address.address, port: address.port },
      'HTTP endpoints listening: /health, /health/ready, /metrics',
    );
    return true;
  } catch (error) {
    options.io.stderr.write(
      `tas-chatops: cannot listen on ${host}:${options.envOptions.port} (${error instanceof Error ? error.message : String(error)}); set PORT to a free port.\n`,
    );
    return false;
  }
}

interface Running {
  readonly http: BotHttpServer;
  readonly readiness: Readiness;
  readonly signal: ShutdownSignal;
}

/** Starts what the mode asks for, waits for a signal (or the console chat's end), stops intake. */
async function runApp(app: App, options: ServeOptions, running: Running): Promise<number> {
  const { mode, loaded, log, io } = options;
  const { http, readiness, signal } = running;
  const workers = mode.name === 'worker' || mode.worker;
  if (workers) app.startWorkers();
  const adapters = mode.name === 'start' ? await startAdapters(app, options, http) : [];
  readiness.use(readinessChecks(app.startCanary(), adapters));
  log.info(
    { workers, adapters: adapters.map((a) => a.platform) },
    mode.name === 'worker' ? 'workers started' : 'bot started',
  );
  if (options.session !== undefined) {
    const session = runConsoleSession({
      dispatcher: app.dispatcher,
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

/** The chat adapters, the delivery to them, their HTTP routes, and their connections. */
async function startAdapters(
  app: App,
  options: ServeOptions,
  http: BotHttpServer,
): Promise<ChatAdapter[]> {
  const { config } = options.loaded;
  const make =
    options.hooks.adapters ??
    ((host: AdapterHost, env: EnvOptions) =>
      chatAdapters(host, env, { command: config.command, commands: app.commands }));
  const adapters = [...(await make(app.host, options.envOptions))];
  app.startDelivery(adapters);
  for (const adapter of adapters) {
    const mount = adapter.http;
    if (mount !== undefined)
      for (const path of [mount.path, ...(mount.paths ?? [])])
        http.mount({ path, handle: (req, res) => mount.handle(req, res) });
    await adapter.start();
  }
  return adapters;
}
