import type { Logger } from '../../src/core/ports/logger.js';

/**
 * Waits for work in flight, at most `ms`: a shutdown must not hang on an answer stuck behind a
 * silent dependency. What is still running then is logged and left to finish or fail on its own.
 */
export async function drain(
  work: readonly Promise<void>[],
  ms: number,
  log: Logger,
): Promise<void> {
  if (work.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const outcome = await Promise.race([
    Promise.allSettled(work).then(() => 'done' as const),
    timeout,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout')
    log.warn({ pending: work.length, waitedMs: ms }, 'stopped with Slack answers still in flight');
}
