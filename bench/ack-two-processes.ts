import { startSlackStandIn, type SlackStandIn } from '../test/stand-ins/slack/slack-stand-in.js';
import {
  answersIn,
  APP_TOKEN,
  BOT_TOKEN,
  childInput,
  httpSender,
  runBursts,
  startChild,
  type ChildCommand,
  type ModeRun,
} from './ack-latency.js';
import type { BenchEnv } from './lib/bench-env.js';
import { startReadyChild } from './lib/ready-child.js';
import { benchPrefix, deleteKeysUnder } from './lib/redis-cleanup.js';
import type { BenchResult } from './lib/results.js';
import { median, round, roundSummary, summarize } from './lib/stats.js';

type Script = 'slack-bot-child' | 'ack-floor-child' | 'ack-two-processes-balancer';

export interface AckTwoProcessesOptions {
  readonly env: BenchEnv;
  /** Concurrent slash commands per burst. */
  readonly requests: number;
  /** Measured bursts per run (after one warm-up burst); their samples are pooled. */
  readonly bursts?: number;
  readonly child: (script: Script) => ChildCommand;
}

const TARGET = 'two processes: p99 ≤ 1.5× the single-process floor of the same run (median burst)';

interface Run extends ModeRun {
  /** Answers the stand-in received per command sent (1: each answered exactly once). */
  readonly answersPerCommand?: number;
}

/**
 * Slack HTTP mode, bursts of `requests` concurrent `/tas status` to: the bare-Node floor (verify
 * and ack, nothing else), one bot process, two bot processes behind a round-robin, one bot
 * behind the same round-robin (what the balancer costs) and two floor processes behind it (the
 * best two processes allow on this machine). The round-robin hands each connection itself to
 * the next process (ack-two-processes-balancer.ts), so no byte of a request passes through a
 * third process. The bots share one Redis and claim every delivery there, as bots behind one
 * load balancer do. Every process (bots, floors, balancer) is a child of its own; the stand-in,
 * the senders and the clock run here.
 */
export async function benchAckTwoProcesses(
  options: AckTwoProcessesOptions,
): Promise<BenchResult[]> {
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const prefix = benchPrefix();
  const redis = { redisUrl: options.env.redisUrl, prefix };
  try {
    const floor = await measure(options, slack, ['ack-floor-child'], {}, false);
    const one = await measure(options, slack, ['slack-bot-child'], redis, false);
    const two = await measure(options, slack, ['slack-bot-child', 'slack-bot-child'], redis, true);
    const oneBalanced = await measure(options, slack, ['slack-bot-child'], redis, true);
    const floors = ['ack-floor-child', 'ack-floor-child'] as const;
    const twoFloors = await measure(options, slack, floors, {}, true);
    return rows(options, { floor, one, two, oneBalanced, twoFloors });
  } finally {
    await slack.close();
    await deleteKeysUnder(options.env.redisUrl, prefix);
  }
}

/**
 * Starts the processes — alone, or as the workers of the round-robin when `balanced` — runs the
 * bursts, stops them.
 */
async function measure(
  options: AckTwoProcessesOptions,
  slack: SlackStandIn,
  scripts: readonly ('slack-bot-child' | 'ack-floor-child')[],
  extra: Readonly<Record<string, string>>,
  balanced: boolean,
): Promise<Run> {
  const script = scripts[0] ?? 'ack-floor-child';
  const started = balanced
    ? await startBalanced(options, slack, script, scripts.length, extra)
    : await startChild('http', script, slack, options, extra);
  try {
    const send = await httpSender(started.eventsUrl, options.requests);
    const isBot = script === 'slack-bot-child';
    const answered = answersIn(slack);
    const before = answered();
    try {
      const run = await runBursts(send, slack, options, isBot);
      if (!isBot) return run;
      // Late duplicates would arrive after the last burst's answers: give them a second.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const sent = options.requests * (1 + (options.bursts ?? 3));
      return { ...run, answersPerCommand: (answered() - before) / sent };
    } finally {
      send.close();
    }
  } finally {
    await started.stop();
  }
}

/** `workers` processes of `script` as the round-robin's workers, on its one port. */
async function startBalanced(
  options: AckTwoProcessesOptions,
  slack: SlackStandIn,
  script: 'slack-bot-child' | 'ack-floor-child',
  workers: number,
  extra: Readonly<Record<string, string>>,
): Promise<{ eventsUrl: string; stop(): Promise<void> }> {
  const worker = options.child(script);
  const input = {
    exec: worker.args.at(-1),
    execArgv: worker.args.slice(0, -1),
    workers,
    input: childInput('http', slack, options, extra),
  };
  const command = options.child('ack-two-processes-balancer');
  const child = await startReadyChild(command, input, `the round-robin over ${workers} ${script}`);
  return { eventsUrl: String(child.ready.eventsUrl), stop: () => child.stop() };
}

type Key = 'floor' | 'one' | 'two' | 'oneBalanced' | 'twoFloors';

/**
 * A burst's p50 and p99, and over the bursts of a run their medians: the p99 of a typical burst
 * of `requests`, which a burst that a neighbour's cron job or a collection in the bench's own
 * process happened to land on does not move. The pooled p99 over every burst's acks is kept
 * beside it, with each burst's p99.
 */
function perBurst(run: Run, requests: number) {
  const bursts: number[][] = [];
  for (let i = 0; i < run.acksMs.length; i += requests)
    bursts.push(run.acksMs.slice(i, i + requests));
  const each = bursts.map((ms) => summarize(ms));
  return {
    p50: median(each.map((b) => b.median)),
    p99: median(each.map((b) => b.p99)),
    pooled: summarize(run.acksMs),
  };
}

function rows(options: AckTwoProcessesOptions, runs: Readonly<Record<Key, Run>>): BenchResult[] {
  const s = Object.fromEntries(
    Object.entries(runs).map(([key, run]) => [key, perBurst(run, options.requests)]),
  ) as Record<Key, ReturnType<typeof perBurst>>;
  const pct = (key: Key) => `${round(s[key].p50)}/${round(s[key].p99)} ms`;
  const ratio = s.two.p99 / s.floor.p99;
  const exactlyOnce = runs.two.answersPerCommand === 1 && runs.one.answersPerCommand === 1;
  const data = {
    requests: options.requests,
    bursts: options.bursts ?? 3,
    botRuntime: options.child('slack-bot-child').runtime,
    medianBurstMs: Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, { p50: round(v.p50), p99: round(v.p99) }]),
    ),
    pooledAckMs: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, roundSummary(v.pooled)])),
    p99PerBurstMs: Object.fromEntries(
      Object.entries(runs).map(([k, run]) => [k, run.p99PerBurst.map((x) => round(x))]),
    ),
    answersPerCommand: { one: runs.one.answersPerCommand, two: runs.two.answersPerCommand },
    method:
      "Slack HTTP mode, /tas status, bursts written at once on one pre-opened keep-alive connection per request, 250 ms apart once the previous burst was answered; the bots record and claim each delivery in the bench Redis before its ack (one script for the deliveries of one event-loop turn); the round-robin is a Node cluster primary handing each connection (its socket) to the next worker, as pm2 cluster mode does and as IPVS does in the kernel; every process a child of its own, the stand-in, senders and clock in the bench process; figures are the median over the bursts of each burst's p50/p99",
  };
  const floorNote = `the single-process floor (bare Node: verify the signature, answer 200) reached p50/p99 ${pct('floor')} in this run (median burst); pooled over all bursts the p99s were floor ${round(s.floor.pooled.p99)}, one bot ${round(s.one.pooled.p99)}, two bots ${round(s.two.pooled.p99)} ms`;
  return [
    {
      name: 'ack burst, one bot process',
      bot: `HTTP p50/p99 ${pct('one')}`,
      baseline: `floor ${pct('floor')}`,
      measure: `p99 ${round(s.one.p99 / s.floor.p99, 2)}× the floor`,
      target: 'reference for the two-process row',
      met: runs.one.answersPerCommand === 1,
      data,
      notes: [floorNote],
    },
    {
      name: 'ack burst, two bot processes',
      bot: `HTTP p50/p99 ${pct('two')} (round-robin)`,
      baseline: `floor ${pct('floor')}; two floors behind the round-robin ${pct('twoFloors')}; one bot behind it ${pct('oneBalanced')}`,
      measure: `p99 ${round(ratio, 2)}× the floor, ${round(s.two.p99 / s.one.p99, 2)}× one bot`,
      target: TARGET,
      met: ratio <= 1.5 && exactlyOnce,
      data,
      notes: [
        floorNote,
        ...(exactlyOnce
          ? []
          : [
              `answers per command: ${runs.two.answersPerCommand} (two), ${runs.one.answersPerCommand} (one); 1 is exactly once`,
            ]),
      ],
    },
  ];
}
