import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConsoleSession } from '../adapters/console/console-session.js';
import { consoleEvent } from '../adapters/console/console-event.js';
import { renderText } from '../adapters/console/render-text.js';
import { CLI_USAGE, parseCliArgs } from './cli/parse-cli-args.js';
import { createCommands } from './commands/index.js';
import { readEnvOptions } from './config/env-options.js';
import { formatIssues } from './config/format-issues.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './infra/create-logger.js';
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
}

export interface Core {
  readonly dispatcher: Dispatcher;
  readonly commands: readonly Command[];
  readonly redact: (text: string) => string;
  close(): Promise<void>;
}

/** Every secret the process knows: config interpolations and chat tokens. */
export function redactorFor(loaded: LoadedConfig, envOptions: EnvOptions): (text: string) => string {
  return createRedactor([...loaded.secrets, ...envOptions.secrets]);
}

/**
 * The composition root: config → platforms → diagnostics → commands → dispatcher. The only
 * place that knows which implementation stands behind each port.
 */
export function createCore(options: CoreOptions): Core {
  const { config } = options.loaded;
  const clock = options.clock ?? systemClock;
  const redact = redactorFor(options.loaded, options.envOptions);
  const platforms = new Map<string, ContainerPlatform>();
  const platformFor =
    options.platformFor ??
    ((name: string): ContainerPlatform => {
      const existing = platforms.get(name);
      if (existing !== undefined) return existing;
      const env = config.environments[name];
      if (env === undefined) throw new Error(`no environment ${name}`);
      const host = env.docker.host;
      const platform = createSwarmPlatform({
        docker: createDockerClient({ host, timeoutMs: env.docker.timeout }),
        stack: env.stack,
        host,
      });
      platforms.set(name, platform);
      return platform;
    });
  const prober = options.prober ?? createProber();
  const coalescedStatus = singleFlight((name: string) => {
    const env = config.environments[name];
    if (env === undefined) throw new Error(`no environment ${name}`);
    return checkStatus({ platform: platformFor(name), prober, clock }, env, name);
  });
  const directory = configDirectory(config);
  const commands = createCommands({ config, directory, clock, platformFor, checkStatus: coalescedStatus });
  const slash = `/${config.command}`;
  const dispatcher = createDispatcher({
    slash,
    log: options.log,
    redact,
    middleware: [withLogger(clock), identify(directory), resolveCommand(commands, directory, slash), authorize(directory)],
  });
  return {
    dispatcher,
    commands,
    redact,
    close: () => Promise.resolve(),
  };
}

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & import('node:stream').Readable;
  readonly stdout: import('node:stream').Writable;
  readonly stderr: import('node:stream').Writable;
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
  const core = createCore({ loaded, envOptions, log });
  const person = ('as' in cli ? cli.as : undefined) ?? env.TAS_CHATOPS_AS ?? firstPerson(config);
  const channel = ('env' in cli ? cli.env : undefined) ?? config.defaultEnvironment ?? Object.keys(config.environments)[0] ?? 'console';
  try {
    if (cli.name === 'run') return await runOnce(core, cli, person, channel, io);
    if (cli.name === 'start' && interactive) {
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
    io.stderr.write('tas-chatops: chat adapters and workers are not built yet; unset the chat tokens for the console.\n');
    return 1;
  } finally {
    await core.close();
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
