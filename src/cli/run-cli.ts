import type { ServeHooks } from '../app/serve.js';
import type { CliIo, ProcessEnv } from './cli-io.js';
import { consoleIdentity } from './console-identity.js';
import { loadConfiguration } from './load-configuration.js';
import { CLI_USAGE, parseCliArgs } from './parse-cli-args.js';

/** Exit codes: 0 done, 1 failed (invalid config, an error reply, a broken audit chain), 2 usage. */
const USAGE_EXIT_CODE = 2;

/**
 * The CLI: arguments → one of start | worker | check | run | audit verify, and an exit code.
 * Each command's modules are imported when it runs, so `check` and `run` never load the HTTP
 * server, the metrics registry or the chat SDKs.
 */
export async function runCli(
  argv: readonly string[],
  env: ProcessEnv,
  io: CliIo,
  hooks: ServeHooks = {},
): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`tas-chatops: ${parsed.error}\n\n${CLI_USAGE}\n`);
    return USAGE_EXIT_CODE;
  }
  const cli = parsed.value;
  if (cli.name === 'help') {
    io.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  const configuration = loadConfiguration(env, io.stderr);
  if (configuration === undefined) return 1;
  const { config } = configuration.loaded;
  if (cli.name === 'check') {
    const { runCheck } = await import('./run-check.js');
    const { redisUrl } = configuration.envOptions;
    return runCheck(config, env.TAS_CHATOPS_CONFIG, io.stdout, redisUrl);
  }
  const asked = cli.name === 'start' || cli.name === 'run' ? cli : {};
  const identity = consoleIdentity(config, asked, env);
  if (!identity.ok) {
    io.stderr.write(`tas-chatops: ${identity.error}\n`);
    return USAGE_EXIT_CODE;
  }
  // The console chat needs a terminal; without one (a container, a service manager) `start`
  // runs headless: HTTP endpoints, workers and JSON logs.
  const interactive =
    cli.name === 'start' &&
    !configuration.envOptions.chatConfigured &&
    (io.stdin as { isTTY?: boolean }).isTTY === true;
  // Imported here: `check` needs no logger beyond the last resort, nor the pretty printer.
  const { cliLogger } = await import('./cli-logger.js');
  const logger = cliLogger(configuration, cli.name, interactive);
  if (!logger.ok) {
    io.stderr.write(`tas-chatops: ${logger.error}\n`);
    return 1;
  }
  const { log, file } = logger.value;
  if (file !== undefined) {
    io.stdout.write(
      `Logs (LOG_LEVEL=${configuration.envOptions.logLevel}) go to ${file}; warnings and errors also show here.\n`,
    );
  }
  if (cli.name === 'start' || cli.name === 'worker') {
    const { serve } = await import('../app/serve.js');
    return serve({
      ...configuration,
      mode: cli.name === 'start' ? { name: 'start', worker: cli.worker } : { name: 'worker' },
      searchPath: env.PATH,
      log,
      io,
      hooks,
      ...(interactive && { session: identity.value }),
    });
  }
  const { runAppCommand } = await import('./run-app-command.js');
  const slash = `/${config.command}`;
  return runAppCommand(
    cli.name === 'run' ? { name: 'run', run: { ...cli, ...identity.value, slash } } : cli,
    configuration,
    log,
    io,
  );
}
