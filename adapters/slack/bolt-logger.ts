import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/core/ports/logger.js';

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/**
 * bolt's, web-api's and socket-mode's logger interface on top of ours, so their lines go through
 * the same (redacting) logger. The level bolt sees stays `info`: our logger filters by itself,
 * and socket-mode builds extra debug strings only when it believes debug is on.
 */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => parts.map(describe).join(' ');
  return {
    debug: (...parts: unknown[]) => log.debug({}, line(parts)),
    info: (...parts: unknown[]) => log.info({}, line(parts)),
    warn: (...parts: unknown[]) => log.warn({}, line(parts)),
    error: (...parts: unknown[]) => log.error({}, line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
