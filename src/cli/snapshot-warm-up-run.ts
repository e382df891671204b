import { prettyFactory } from 'pino-pretty';
import { pinoLogger } from '../infra/pino-logger.js';
import { createRedactor } from '../lib/redact.js';

/**
 * One record through the logger `run` builds (pino, the redaction of every string, the pretty
 * printer), written nowhere, while the `run` snapshot is built: the snapshot keeps those functions
 * compiled, and every `run` logs the command it answered.
 */
export function warmUpRunLog(): void {
  const pretty = prettyFactory({ colorize: false });
  const log = pinoLogger('info', createRedactor(['warm-up-secret']), {
    write: (record: string) => void pretty(record),
  });
  log
    .child({ app: 'tas-chatops' })
    .info(
      { eventId: 'console-1', ref: '0a1b2c3d', platform: 'console', person: 'alice', ms: 1 },
      'command answered',
    );
}
