import type { LogSource } from '../../core/ports/container-platform.js';

/**
 * Closes a log source after `ms`, so a read never hangs on an Engine that keeps a logs
 * connection open without sending (seen with tasks being removed). Whatever was read by then is
 * used; `timedOut()` tells the caller to say the excerpt is partial.
 */
export function limitLogTime(
  source: LogSource,
  ms: number,
): { source: LogSource; timedOut(): boolean; clear(): void } {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    source.close();
  }, ms);
  timer.unref();
  return {
    source: {
      ...source,
      close() {
        clearTimeout(timer);
        source.close();
      },
    },
    timedOut: () => timedOut,
    clear: () => clearTimeout(timer),
  };
}
