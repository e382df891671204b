import { readEnvOptions } from '../config/env-options.js';
import pino from 'pino';
import type { Logger } from '../core/ports/logger.js';
import { pinoLogger } from '../infra/pino-logger.js';
import {
  CRASH_EXIT_CODE,
  installProcessErrorPolicy,
  type ProcessErrorPolicy,
} from '../infra/process-error-policy.js';
import { createRedactor } from '../lib/redact.js';

/**
 * The process-wide error policy for the `tas-chatops` process, installed before anything else
 * runs. Its log lines go to stderr as JSON, redacted by the built-in patterns and the chat
 * tokens and Redis password the environment names (the config is not loaded yet at this
 * point). The graceful shutdown it asks for is a SIGTERM to itself: the same path a supervisor's
 * stop takes. A command that set up no SIGTERM handling (`check`, `run`) simply exits.
 */
export function installLastResort(
  proc: NodeJS.Process = process,
  env: Readonly<Record<string, string | undefined>> = proc.env,
): ProcessErrorPolicy {
  const envOptions = readEnvOptions(env);
  // Built on the first line it logs: most processes never log one, and a pino logger with its
  // stderr stream costs a cold `check` a few milliseconds.
  let built: Logger | undefined;
  const log = (): Logger =>
    (built ??= pinoLogger(
      'info',
      createRedactor(envOptions.ok ? envOptions.value.secrets : []),
      pino.destination({ fd: 2, sync: false }),
    ).child({ component: 'process' }));
  return installProcessErrorPolicy({
    events: proc,
    log: {
      debug: (obj, msg) => log().debug(obj, msg),
      info: (obj, msg) => log().info(obj, msg),
      warn: (obj, msg) => log().warn(obj, msg),
      error: (obj, msg) => log().error(obj, msg),
      child: (bindings) => log().child(bindings),
    },
    shutdown: () => {
      if (proc.listenerCount('SIGTERM') > 0) proc.kill(proc.pid, 'SIGTERM');
      else proc.exit(CRASH_EXIT_CODE);
    },
    exit: (code) => proc.exit(code),
  });
}
