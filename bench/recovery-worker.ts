import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startChild, stopChild } from '../test/support/child-process.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../test/support/ops-harness.js';
import type { BenchResult } from './lib/results.js';
import { round, roundSummary, summarize } from './lib/stats.js';

export interface WorkerRecoveryOptions {
  readonly workDir: string;
  /** Restarts measured with a kill, and as many without (the baseline), interleaved. */
  readonly runs?: number;
}

interface Run {
  readonly killed: boolean;
  /** Worker SIGKILLed (or, in the baseline, the same instant without a kill) → verdict in chat. */
  readonly ms: number;
  readonly verified: boolean;
  /** ForceUpdate after minus before: 1 when the restart was applied exactly once. */
  readonly applied: number;
}

const NAME = 'recovery: worker SIGKILL mid-restart';
const TARGET = 'measured: kill → verdict, p50/p99 against the same restart without a kill';
const VERDICT = /^(Verified|Failed): restart backend/;
const worker = fileURLToPath(new URL('../test/support/worker-process.ts', import.meta.url));

/**
 * Benchmark: the bot in process against the real swarm and Redis, its operations workers in
 * processes of their own (each `tas-chatops worker` as the tests start it: lock 3 s). Each run
 * restarts a two-replica service; once a worker holds the job and the Engine is applying, a
 * standby worker is started, and then the holder is SIGKILLed (every other run: left alone).
 * The time from that instant to the verdict in chat is the recovery; the runs without a kill
 * are the baseline, taken in the same process on the same machine, interleaved.
 */
export async function benchWorkerRecovery(options: WorkerRecoveryOptions): Promise<BenchResult> {
  const h = await startOpsHarness({ startWorkers: false, services: { backend: 2 } });
  const config = `${options.workDir}/recovery-${randomUUID()}.yml`;
  await writeFile(config, h.configText());
  const env = { ...process.env, REDIS_URL: h.redisUrl };
  const spawnWorker = () =>
    startChild(process.execPath, ['--import', 'tsx', worker, config, h.prefix], 'ready', env);
  const runs: Run[] = [];
  let missed = 0;
  let current = await spawnWorker();
  try {
    for (
      let i = 0;
      runs.length < 2 * (options.runs ?? 20) && i < 4 * (options.runs ?? 20);
      i += 1
    ) {
      const killed = runs.filter((r) => r.killed).length <= runs.filter((r) => !r.killed).length;
      const outcome = await oneRestart(h, current, spawnWorker, killed);
      current = outcome.next;
      if (outcome.run === undefined) missed += 1;
      else runs.push(outcome.run);
    }
  } finally {
    await stopChild(current);
    await h.close();
  }
  return result(runs, missed);
}

async function oneRestart(
  h: OpsHarness,
  holder: ChildProcess,
  spawnWorker: () => Promise<ChildProcess>,
  killed: boolean,
): Promise<{ run?: Run; next: ChildProcess }> {
  const store = h.core.operations?.store;
  if (store === undefined) throw new Error('the harness has Redis');
  const before = (await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate ?? 0;
  const verdicts = h.delivered.filter((d) => VERDICT.test(d.reply.title)).length;
  const id = requestIdOf(await h.say('alice', '/tas restart backend'));
  await h.say('dave', `/tas approve ${id}`);
  // The only worker holds the job once a step is being applied; a standby comes up meanwhile.
  await until(async () => {
    const state = (await store.get(id))?.steps[0]?.state;
    return state !== undefined && state !== 'planned';
  });
  const standby = await spawnWorker();
  const state = (await store.get(id))?.state;
  if (state !== 'running') {
    // Converged before the standby was up: nothing left to kill in this run.
    await waitForVerdicts(h, verdicts + 1);
    await stopChild(holder);
    return { next: standby };
  }
  const at = performance.now();
  if (killed) await stopChild(holder, 'SIGKILL');
  const verdict = await waitForVerdicts(h, verdicts + 1);
  const ms = performance.now() - at;
  if (!killed) await stopChild(holder);
  const after = (await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate ?? 0;
  return {
    run: { killed, ms, verified: verdict.startsWith('Verified'), applied: after - before },
    next: standby,
  };
}

async function until(done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The title of the `count`-th verdict in chat, polled every 10 ms. */
async function waitForVerdicts(h: OpsHarness, count: number): Promise<string> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const verdicts = h.delivered.filter((d) => VERDICT.test(d.reply.title));
    if (verdicts.length >= count) return verdicts[count - 1]!.reply.title;
    if (performance.now() > deadline) throw new Error('no verdict within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function result(runs: readonly Run[], missed: number): BenchResult {
  const kill = summarize(runs.filter((r) => r.killed).map((r) => r.ms));
  const base = summarize(runs.filter((r) => !r.killed).map((r) => r.ms));
  const wrong = runs.filter((r) => !r.verified || r.applied !== 1);
  return {
    name: NAME,
    bot: `p50 ${round(kill.median)} / p99 ${round(kill.p99)} ms after the kill (${kill.n} runs)`,
    baseline: `no kill: p50 ${round(base.median)} / p99 ${round(base.p99)} ms (${base.n} runs)`,
    measure: `p50 ${round(kill.median / base.median, 2)}× / p99 ${round(kill.p99 / base.p99, 2)}×; recovery adds ${round(kill.median - base.median)} ms`,
    target: TARGET,
    met: wrong.length === 0 && kill.n > 0,
    data: {
      killed: roundSummary(kill),
      baseline: roundSummary(base),
      missed,
      perRun: runs.map((r) => ({ ...r, ms: round(r.ms) })),
      method:
        'two-replica service on the real swarm; workers are `tsx test/support/worker-process.ts` (lock 3 s, settle 1.5 s, poll 250 ms); the holder is SIGKILLed once a standby worker is ready and the step is past pending; verdict = the Verified/Failed thread message the bot delivers',
    },
    notes: [
      ...(missed > 0
        ? [`${missed} runs converged before the standby worker was up and were not counted`]
        : []),
      ...(wrong.length > 0
        ? [
            `${wrong.length} runs did not end verified with exactly one application: ${JSON.stringify(wrong)}`,
          ]
        : []),
    ],
  };
}
