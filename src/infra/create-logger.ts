import pino from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Logger } from '../core/ports/logger.js';
import { briefLogLine } from './brief-log-line.js';
import { pinoLogger } from './pino-logger.js';

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines (console use); JSON otherwise. */
  readonly pretty: boolean;
  /** File descriptor to write to: 1 for services, 2 when stdout carries command output. */
  readonly fd: 1 | 2;
  /** Applied to every string of every log line, so a secret in an error message never lands in a log. */
  readonly redact: (text: string) => string;
  /**
   * The interactive console: every record at `level` goes to this file as JSON, and only
   * warnings and errors reach `fd`, one brief line each, so the conversation stays readable.
   */
  readonly file?: string;
}

/** The file gets everything `level` lets through; the terminal no less severe than a warning. */
function fileAndTerminal(file: string, level: string, fd: 1 | 2): pino.MultiStreamRes {
  // Synchronous: few records, and a record in the file before the answer it explains.
  const fileStream = pino.destination({ dest: file, mkdir: true, append: true, sync: true });
  const terminal = pino.destination({ fd, sync: true });
  const severity = (name: string) => pino.levels.values[name] ?? Number.POSITIVE_INFINITY;
  // LOG_LEVEL=error (or silent) quiets the terminal too; LOG_LEVEL=debug fills only the file.
  const terminalLevel = severity(level) > severity('warn') ? level : 'warn';
  return pino.multistream([
    { level: level as pino.Level, stream: fileStream },
    {
      level: terminalLevel as pino.Level,
      stream: { write: (record: string) => terminal.write(briefLogLine(record)) },
    },
  ]);
}

/**
 * Readable lines, formatted in this thread and written synchronously: a `run` logs a line or
 * two and exits, and a transport's worker thread would cost more to start than all its lines.
 */
function prettyLines(fd: 1 | 2): pino.DestinationStream {
  const pretty = prettyFactory({ colorize: false });
  const terminal = pino.destination({ fd, sync: true });
  return { write: (record: string) => terminal.write(pretty(record)) };
}

export function createLogger(options: LoggerOptions): Logger {
  const destination =
    options.file !== undefined
      ? fileAndTerminal(options.file, options.level, options.fd)
      : options.pretty
        ? prettyLines(options.fd)
        : pino.destination({ fd: options.fd, sync: false });
  return pinoLogger(options.level, options.redact, destination);
}
