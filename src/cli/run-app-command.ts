import { consoleDelivery } from '../../adapters/console/console-delivery.js';
import { createApp } from '../app/create-app.js';
import { coldPlatformFor } from '../infra/engine-http/cold-platform-for.js';
import { verifyAudit } from './audit-verify.js';
import type { CliIo } from './cli-io.js';
import type { Configuration } from './load-configuration.js';
import type { Logger } from '../core/ports/logger.js';
import { runOnce, type RunOnceOptions } from './run-once.js';

/**
 * The commands that build the app, use it once and close it: `run` (one chat command) and
 * `audit verify` (the hash chain, which lives in Redis). Returns the exit code.
 */
export async function runAppCommand(
  command:
    { readonly name: 'run'; readonly run: RunOnceOptions } | { readonly name: 'audit-verify' },
  configuration: Configuration,
  log: Logger,
  io: CliIo,
): Promise<number> {
  const app = await createApp({
    ...configuration,
    // A status lists through plain HTTP; dockerode loads only for logs or an operation.
    platformFor: coldPlatformFor(configuration.loaded.config),
    log,
    deliveries: [consoleDelivery(io.stdout, `/${configuration.loaded.config.command}`)],
  });
  try {
    if (command.name === 'run') return await runOnce(app.dispatcher, command.run, io.stdout);
    if (app.audit === undefined) {
      io.stderr.write('tas-chatops: the audit trail lives in Redis; set REDIS_URL.\n');
      return 1;
    }
    return await verifyAudit(app.audit, io.stdout);
  } finally {
    await app.close();
  }
}
