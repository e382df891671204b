import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { consoleEvent } from '../adapters/console/console-event.js';
import { createApp, type App } from '../src/app/create-app.js';
import { silentLogger } from '../src/core/ports/logger.js';
import { isFinished } from '../src/core/requests/operation-request.js';
import { connectTestSwarm, serviceFactory } from '../test/integration/docker/test-swarm.js';
import { benchConfigText, loadBenchConfig } from './lib/bench-config.js';
import { benchEnv, type BenchEnv } from './lib/bench-env.js';
import { benchPrefix, deleteKeysUnder } from './lib/redis-cleanup.js';
import type { BenchResult } from './lib/results.js';
import { startEngineCallProxy, type EngineCallProxy } from './engine-calls-proxy.js';

export interface EngineCallsBenchOptions {
  readonly env: BenchEnv;
  readonly restarts: number;
}

const NAME = 'Engine calls per restart';
const TARGET = '≤ 8 + 1 per convergence poll';
const SERVICE = 'api';
const POLL_MS = 250;
const SETTLE_MS = 500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Counted {
  readonly calls: number;
  readonly polls: number;
  /** Calls made by the convergence polls: from the update to the settle window. */
  readonly pollCalls: number;
  readonly byPhase: Readonly<Record<'request' | 'approve' | 'execute', readonly string[]>>;
}

/**
 * A real `/tas restart` through the whole app (createApp, dispatcher, BullMQ worker, the swarm
 * operator) on a service of its own, with the bot's Docker host pointed at a counting proxy in
 * front of the Engine: request → approve → execute → verify, every Engine call counted. The
 * convergence polls are counted apart (each wait between two polls is one `sleep(pollMs)`), since
 * how many there are depends on how fast Swarm replaces the task, not on the bot.
 */
export async function benchEngineCalls(options: EngineCallsBenchOptions): Promise<BenchResult> {
  const { env } = options;
  const docker = await connectTestSwarm();
  const factory = serviceFactory(docker);
  const stack = `ec${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const proxy = await startEngineCallProxy(env.dockerSocket);
  const prefix = benchPrefix();
  let pollSleeps = 0;
  let settleAt = 0;
  const { loaded, envOptions } = loadBenchConfig(
    benchConfigText({
      dockerHost: proxy.host,
      stack,
      services: [SERVICE],
      probes: [],
      operations: true,
    }),
    { REDIS_URL: env.redisUrl },
  );
  const app = await createApp({
    loaded,
    envOptions,
    log: silentLogger,
    prefix,
    watch: false,
    timings: { convergeTimeoutMs: 90_000, settleMs: SETTLE_MS, pollMs: POLL_MS },
    sleep: (ms) => {
      if (ms === POLL_MS) pollSleeps += 1;
      if (ms === SETTLE_MS) settleAt = proxy.calls.length;
      return sleep(ms);
    },
  });
  const runs: Counted[] = [];
  try {
    await factory.create(`${stack}_${SERVICE}`, { replicas: 1 });
    app.startWorkers();
    for (let i = 0; i < options.restarts; i += 1) {
      pollSleeps = 0;
      const counted = await oneRestart(app, proxy);
      const updateAt = proxy.calls.findIndex((c) => /^POST .*\/update$/.test(c));
      // The last poll sees convergence and needs no wait after it.
      runs.push({ ...counted, polls: pollSleeps + 1, pollCalls: settleAt - updateAt - 1 });
    }
  } finally {
    await app.close();
    await proxy.close();
    await factory.removeAll();
    await deleteKeysUnder(env.redisUrl, prefix);
  }
  return toResult(runs);
}

async function oneRestart(
  app: App,
  proxy: EngineCallProxy,
): Promise<Omit<Counted, 'polls' | 'pollCalls'>> {
  const say = (person: string, text: string) =>
    app.dispatcher.dispatch(consoleEvent(text, person, 'tasfix'));
  proxy.reset();
  const card = await say('alice', `/tas restart ${SERVICE}`);
  const id = card.card?.requestId;
  if (id === undefined) throw new Error(`no approval card: ${card.title}`);
  const request = proxy.calls.map((c) => c.replace('/v1.41/', '/'));
  proxy.reset();
  const approved = await say('dave', `/tas approve ${id}`);
  if (!approved.title.startsWith('Approved')) throw new Error(`approving: ${approved.title}`);
  const approve = proxy.calls.map((c) => c.replace('/v1.41/', '/'));
  const store = app.operations?.store;
  if (store === undefined) throw new Error('the app has no operations (REDIS_URL unset?)');
  for (;;) {
    const current = await store.get(id);
    if (current !== undefined && isFinished(current)) {
      if (current.state !== 'succeeded')
        throw new Error(`restart ended ${current.state}: ${current.outcome?.summary ?? ''}`);
      break;
    }
    await sleep(50);
  }
  const execute = proxy.calls.map((c) => c.replace('/v1.41/', '/'));
  return {
    calls: request.length + approve.length + execute.length,
    byPhase: { request, approve, execute },
  };
}

function toResult(runs: readonly Counted[]): BenchResult {
  const fixed = (r: Counted) => r.calls - r.pollCalls;
  const worst = runs.reduce((a, b) => (fixed(b) > fixed(a) ? b : a));
  const perPoll = Math.max(...runs.map((r) => r.pollCalls / r.polls));
  const met = runs.every((r) => fixed(r) <= 8 && r.pollCalls <= r.polls);
  return {
    name: NAME,
    bot: `${fixed(worst)} + ${perPoll} per poll (${worst.calls} calls, ${worst.polls} polls)`,
    baseline: '—',
    measure: `calls per restart ${runs.map((r) => r.calls).join(', ')}; polls ${runs.map((r) => r.polls).join(', ')}`,
    target: TARGET,
    met,
    data: {
      fixedCalls: Math.max(...runs.map(fixed)),
      callsPerPoll: perPoll,
      runs: runs.map((r) => ({
        calls: r.calls,
        polls: r.polls,
        pollCalls: r.pollCalls,
        byPhase: r.byPhase,
      })),
    },
    notes: [
      `calls outside the polls, worst run: request ${worst.byPhase.request.join(', ')}; approve ${worst.byPhase.approve.join(', ') || 'none'}; execute ${outsidePolls(worst).join(', ')}`,
    ],
  };
}

/** The execute phase with the convergence polls folded into one `[n polls]` entry. */
function outsidePolls(run: Counted): string[] {
  const calls = run.byPhase.execute;
  const update = calls.findIndex((c) => /^POST .*\/update$/.test(c));
  return [
    ...calls.slice(0, update + 1),
    `[${run.polls} polls: ${run.pollCalls} calls]`,
    ...calls.slice(update + 1 + run.pollCalls),
  ];
}

// `npx tsx bench/engine-calls.ts` (with .infra/env exported): this benchmark alone, printed.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchEngineCalls({ env: benchEnv(), restarts: 3 });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
