import { formatDuration } from '../../lib/duration.js';

/**
 * Runs `attempt` with an AbortSignal and returns its result, or `onTimeout()` the moment
 * `timeoutMs` passes, whatever the attempt is doing (a server that never sends headers, a body
 * that trickles). The signal is aborted then so the attempt releases its socket; `attempt` must
 * not reject (probes report, they never throw).
 */
export async function raceDeadline<T>(
  timeoutMs: number,
  attempt: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => T,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(onTimeout());
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function timeoutDetail(timeoutMs: number, phase?: string): string {
  return `timed out after ${formatDuration(timeoutMs)}${phase === undefined ? '' : ` ${phase}`}`;
}
