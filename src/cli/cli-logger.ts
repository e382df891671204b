import { resolve } from 'node:path';
import { dataDirOf } from '../app/data-dir-of.js';
import { redactorFor } from '../app/redactor-for.js';
import type { Logger } from '../core/ports/logger.js';
import { err, ok, type Result } from '../core/result.js';
import { createLogger } from '../infra/create-logger.js';
import type { Configuration } from './load-configuration.js';

export interface CliLogger {
  readonly log: Logger;
  /** Set in the console chat: where the log records go instead of the terminal. */
  readonly file?: string;
}

/**
 * The process's logger, by command: `run` writes readable lines to stderr (stdout carries the
 * reply); the console chat writes records to a file under the data dir so the conversation is
 * not buried under them; services write JSON to stdout. An error is the message to print.
 */
export function cliLogger(
  configuration: Configuration,
  command: 'run' | 'start' | 'worker' | 'audit-verify',
  interactive: boolean,
): Result<CliLogger> {
  const { envOptions } = configuration;
  const file = interactive ? resolve(dataDirOf(envOptions), 'console.log') : undefined;
  try {
    const log = createLogger({
      level: envOptions.logLevel,
      pretty: command === 'run',
      fd: command === 'run' || interactive ? 2 : 1,
      redact: redactorFor(configuration.loaded, envOptions),
      ...(file !== undefined && { file }),
    });
    return ok({ log, ...(file !== undefined && { file }) });
  } catch (error) {
    return err(
      `cannot write the log file ${file ?? ''} (${error instanceof Error ? error.message : String(error)}); set TAS_CHATOPS_DATA_DIR to a writable directory.`,
    );
  }
}
