import { Queue } from 'bullmq';
import { OPERATIONS_QUEUE } from '../src/infra/bullmq/queue-names.js';
import { redisOptions } from '../src/infra/redis/connect-redis.js';
import type { Reply } from '../src/core/reply.js';
import { benchConfigText } from './lib/bench-config.js';
import { startBenchCore } from './lib/bench-core.js';
import type { BenchEnv } from './lib/bench-env.js';
import { fakeCluster, fakeServiceNames } from './lib/fake-cluster.js';
import { benchPrefix, deleteKeysUnder } from './lib/redis-cleanup.js';
import type { BenchResult } from './lib/results.js';
import { round, roundSummary, summarize } from './lib/stats.js';

export interface ApprovalBenchOptions {
  readonly env: BenchEnv;
  readonly approvals: number;
}

const NAME = 'approval → job start';
const TARGET = 'p50 < 10 ms';
const STACK = 'benchfake';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function requestIdOf(reply: Reply): string {
  const id = reply.card?.requestId;
  if (id === undefined) throw new Error(`not an approval card: ${reply.title}`);
  return id;
}

/**
 * Benchmark 4: `approvals` restart requests on as many fake services (no swarm change runs),
 * each approved by the lead through the dispatcher as a click would be, against the real Redis
 * and real BullMQ workers. Latency = the job's `processedOn` (BullMQ stamps it with the
 * worker's Date.now() as it takes the job; same process, same clock) − the moment of the
 * approve dispatch. Approvals go one at a time, as people click.
 */
export async function benchApproval(options: ApprovalBenchOptions): Promise<BenchResult> {
  const { env } = options;
  const names = fakeServiceNames(options.approvals);
  const cluster = fakeCluster(options.approvals, STACK);
  const prefix = benchPrefix();
  const bot = await startBenchCore(
    benchConfigText({
      dockerHost: env.dockerHost,
      stack: STACK,
      services: names,
      probes: [],
      operations: true,
    }),
    {
      redisUrl: env.redisUrl,
      overrides: {
        platformFor: () => cluster.platform,
        operatorFor: () => cluster.operator,
        prefix,
        timings: { convergeTimeoutMs: 10_000, settleMs: 0, pollMs: 20 },
      },
    },
  );
  const queue = new Queue(OPERATIONS_QUEUE, {
    connection: { ...redisOptions(env.redisUrl), maxRetriesPerRequest: null },
    prefix,
  });
  queue.on('error', () => undefined);
  const toStart: number[] = [];
  const toReply: number[] = [];
  const toEnqueue: number[] = [];
  const enqueueToStart: number[] = [];
  try {
    bot.core.startWorkers();
    const ids: string[] = [];
    for (const name of names) ids.push(requestIdOf(await bot.say('alice', `/tas restart ${name}`)));
    for (const id of ids) {
      const at = Date.now();
      const started = performance.now();
      const reply = await bot.say('dave', `/tas approve ${id}`);
      toReply.push(performance.now() - started);
      if (!reply.title.startsWith('Approved')) throw new Error(`approving ${id}: ${reply.title}`);
      const job = await waitForStart(queue, id);
      toStart.push(job.processedOn - at);
      toEnqueue.push(job.timestamp - at);
      enqueueToStart.push(job.processedOn - job.timestamp);
    }
    await waitForCompletion(queue, ids);
  } finally {
    await queue.close();
    await bot.close();
    await deleteKeysUnder(env.redisUrl, prefix);
  }
  const start = summarize(toStart);
  return {
    name: NAME,
    bot: `p50 ${round(start.median)} ms, p99 ${round(start.p99)} ms`,
    baseline: '— (no manual equivalent)',
    measure: `p50 ${round(start.median)} / p99 ${round(start.p99)} ms`,
    target: TARGET,
    met: start.median < 10,
    data: {
      approvals: options.approvals,
      approveToJobStartMs: roundSummary(start),
      approveToEnqueueMs: roundSummary(summarize(toEnqueue)),
      enqueueToStartMs: roundSummary(summarize(enqueueToStart)),
      approveReplyMs: roundSummary(summarize(toReply)),
      swarmChangesApplied: cluster.applied(),
      resolution: 'processedOn and job.timestamp are whole milliseconds',
    },
    notes: [],
  };
}

async function waitForStart(
  queue: Queue,
  id: string,
): Promise<{ processedOn: number; timestamp: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await queue.getJob(id);
    if (job?.processedOn !== undefined)
      return { processedOn: job.processedOn, timestamp: job.timestamp };
    if (Date.now() > deadline)
      throw new Error(
        `job ${id} did not start within 30 s (${job === undefined ? 'not queued' : 'queued, not taken'})`,
      );
    await sleep(2);
  }
}

/** All jobs done before the workers close: nothing is left running or half-applied. */
async function waitForCompletion(queue: Queue, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    const open = states.filter((s) => s !== 'completed' && s !== 'failed');
    if (open.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${open.length} operation jobs still open after 60 s`);
    await sleep(200);
  }
}
