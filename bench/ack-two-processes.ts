import { startSlackStandIn, type SlackStandIn } from '../test/stand-ins/slack/slack-stand-in.js';
import {
  answersIn,
  APP_TOKEN,
  BOT_TOKEN,
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
import { round, roundSummary, summarize } from './lib/stats.js';

type Script = 'slack-bot-child' | 'ack-floor-child' | 'ack-two-processes-balancer';

export interface AckTwoProcessesOptions {
  readonly env: BenchEnv;
  /** Concurrent slash commands per burst. */
  readonly requests: number;
  /** Measured bursts per run (after one warm-up burst); their samples are pooled. */
  readonly bursts?: number;
  readonly child: (script: Script) => ChildCommand;
}

const TARGET = 'two processes: p99 ≤ 1.5× the single-process floor of the same run';

interface Run extends ModeRun {
  /** Answers the stand-in received per command sent (1: each answered exactly once). */
  readonly answersPerCommand?: number;
}

/**
 * Slack HTTP mode, bursts of `requests` concurrent `/tas status` to: the bare-Node floor (verify
 * and ack, nothing else), one bot process, two bot processes behind a TCP round-robin, one bot
 * behind the same round-robin (what the balancer's hop costs) and two floor processes behind it
 * (the best two processes and the hop allow on this machine). The bots share one Redis and
 * claim every delivery there, as bots behind one load balancer do. Every process (bots, floors,
 * balancer) is a child of its own; the stand-in, the senders and the clock run here.
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

/** Starts the processes (behind the round-robin when `balanced`), runs the bursts, stops them. */
async function measure(
  options: AckTwoProcessesOptions,
  slack: SlackStandIn,
  scripts: readonly ('slack-bot-child' | 'ack-floor-child')[],
  extra: Readonly<Record<string, string>>,
  balanced: boolean,
): Promise<Run> {
  const started: { eventsUrl: string; stop(): Promise<void> }[] = [];
  try {
    for (const script of scripts)
      started.push(await startChild('http', script, slack, options, extra));
    let eventsUrl = started[0]?.eventsUrl ?? '';
    if (balanced) {
      const balancer = await startBalancer(
        options,
        started.map((s) => new URL(s.eventsUrl)),
      );
      started.push(balancer);
      eventsUrl = balancer.eventsUrl;
    }
    const send = await httpSender(eventsUrl, options.requests);
    const isBot = scripts[0] === 'slack-bot-child';
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
    for (const child of started.reverse()) await child.stop();
  }
}

/** The round-robin child over the bots' ports; its URL keeps the bots' path. */
async function startBalancer(
  options: AckTwoProcessesOptions,
  targets: readonly URL[],
): Promise<{ eventsUrl: string; stop(): Promise<void> }> {
  const backends = targets.map((url) => ({ host: url.hostname, port: Number(url.port) }));
  const command = options.child('ack-two-processes-balancer');
  const child = await startReadyChild(command, { backends }, 'the round-robin balancer');
  return {
    eventsUrl: `http://127.0.0.1:${Number(child.ready.port)}${targets[0]?.pathname ?? ''}`,
    stop: () => child.stop(),
  };
}

function rows(
  options: AckTwoProcessesOptions,
  runs: Readonly<Record<'floor' | 'one' | 'two' | 'oneBalanced' | 'twoFloors', Run>>,
): BenchResult[] {
  const s = Object.fromEntries(
    Object.entries(runs).map(([key, run]) => [key, summarize(run.acksMs)]),
  ) as Record<keyof typeof runs, ReturnType<typeof summarize>>;
  const pct = (key: keyof typeof runs) => `${round(s[key].median)}/${round(s[key].p99)} ms`;
  const ratio = s.two.p99 / s.floor.p99;
  const exactlyOnce = runs.two.answersPerCommand === 1 && runs.one.answersPerCommand === 1;
  const data = {
    requests: options.requests,
    bursts: options.bursts ?? 3,
    botRuntime: options.child('slack-bot-child').runtime,
    ackMs: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, roundSummary(v)])),
    p99PerBurstMs: Object.fromEntries(
      Object.entries(runs).map(([k, run]) => [k, run.p99PerBurst.map((x) => round(x))]),
    ),
    answersPerCommand: { one: runs.one.answersPerCommand, two: runs.two.answersPerCommand },
    method:
      'Slack HTTP mode, /tas status, bursts written at once on one pre-opened keep-alive connection per request; the bots record and claim each delivery in the bench Redis before its ack (one script for the deliveries of one event-loop turn); the round-robin hands each connection to the next bot; every process a child of its own, the stand-in, senders and clock in the bench process',
  };
  const floorNote = `the single-process floor (bare Node: verify the signature, answer 200) reached p50/p99 ${pct('floor')} in this run`;
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
