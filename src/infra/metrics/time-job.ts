import { PermanentJobError } from '../../core/errors.js';
import type { BotMetrics } from './bot-metrics.js';

/**
 * Wraps a job processor so its run time and outcome are recorded; what it returns or throws
 * passes through unchanged (the worker still turns a PermanentJobError into "do not retry").
 */
export function timeJob<A extends unknown[], R>(
  metrics: Pick<BotMetrics, 'jobFinished'>,
  job: string,
  processor: (...args: A) => Promise<R>,
  now: () => number = () => performance.now(),
): (...args: A) => Promise<R> {
  return async (...args) => {
    const started = now();
    const seconds = () => (now() - started) / 1000;
    try {
      const result = await processor(...args);
      metrics.jobFinished(job, 'ok', seconds());
      return result;
    } catch (error) {
      metrics.jobFinished(
        job,
        error instanceof PermanentJobError ? 'permanent' : 'error',
        seconds(),
      );
      throw error;
    }
  };
}
