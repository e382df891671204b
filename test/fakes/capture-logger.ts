import type { Logger } from '../../src/core/ports/logger.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string | undefined;
  readonly [key: string]: unknown;
}

/** A Logger that keeps every line in an array, bindings merged in (probot's test/utils.ts). */
export function captureLogger(): { log: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: LogEntry['level']) =>
      (obj: object, msg?: string): void => {
        entries.push({ ...bindings, ...obj, level, msg });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return { log: make({}), entries };
}
