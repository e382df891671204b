import type { BenchResult } from './lib/results.js';
import { benchRedisRecovery, type RedisRecoveryOptions } from './recovery-redis.js';
import { benchWorkerRecovery } from './recovery-worker.js';

/**
 * The two recovery rows: a worker SIGKILLed mid-restart until the verdict is in chat (20 runs
 * with a kill, 20 without as the baseline), and Redis SIGKILLed and restarted until readiness
 * is 200 again.
 */
export async function benchRecovery(
  options: RedisRecoveryOptions & { readonly workerRuns?: number },
): Promise<BenchResult[]> {
  const worker = await benchWorkerRecovery({
    workDir: options.workDir,
    runs: options.workerRuns ?? 20,
  });
  return [worker, await benchRedisRecovery(options)];
}
