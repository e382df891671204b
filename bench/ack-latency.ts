import { monitorEventLoopDelay } from 'node:perf_hooks';
import { slashCommand } from '../test/stand-ins/slack/payloads.js';
import { formBody, signature } from '../test/stand-ins/slack/signed-client.js';
import { startSlackStandIn, type SlackStandIn } from '../test/stand-ins/slack/slack-stand-in.js';
import { BENCH_SLACK } from './lib/bench-config.js';
import type { BenchEnv } from './lib/bench-env.js';
import type { BenchResult } from './lib/results.js';
import { openRawConnections } from './lib/raw-http-burst.js';
import { startReadyChild } from './lib/ready-child.js';
import { round, roundSummary, summarize, type Summary } from './lib/stats.js';

export interface AckBenchOptions {
  readonly env: BenchEnv;
  /** Concurrent slash commands per burst and mode. */
  readonly requests: number;
  /** Measured bursts per mode (after one warm-up burst); their samples are pooled. */
  readonly bursts?: number;
  /** How to start a bench child script (compiled when there is a build). */
  readonly child: (script: 'slack-bot-child' | 'ack-floor-child') => ChildCommand;
}

export interface ChildCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly runtime: string;
}

const NAME = 'acknowledgement latency';
const TARGET = 'p99 < 50 ms (HTTP and Socket Mode)';
export const BOT_TOKEN = 'xoxb-900000000000-900000000001-benchbottoken';
export const APP_TOKEN = 'xapp-1-A0BENCH-900000000002-benchapptoken';
const SIGNING_SECRET = 'bench-signing-secret-5e2a';

export type Mode = 'http' | 'socket';

/** The pause before each measured burst, after the previous one was acknowledged and answered. */
const BURST_SETTLE_MS = 250;

export interface ModeRun {
  readonly acksMs: number[];
  readonly p99PerBurst: number[];
  /** From the last burst's first request until every answer of it reached the stand-in. */
  readonly allAnsweredMs?: number;
  /** How late this process (senders, stand-in, clock) ran its callbacks during the bursts. */
  readonly senderLoopDelayMs: { readonly p99: number; readonly max: number };
}

/**
 * Benchmark 3: bursts of `requests` concurrent `/tas status` commands to the bot's Slack adapter:
 * signed HTTP requests to `/slack/events` on the bot's own HTTP server, then Socket Mode
 * envelopes over the stand-in's WebSocket; latency = request written → acknowledgement read
 * (the HTTP response; the envelope's ack frame). The bot runs in a child process; the Slack
 * stand-in and the senders run here. The answers (a status each) are posted after the acks, as
 * in production. The same bursts against `ack-floor-child` (verify and ack, nothing else) show
 * what this machine allows any Node process.
 */
export async function benchAck(options: AckBenchOptions): Promise<BenchResult> {
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const bot: Partial<Record<Mode, ModeRun>> = {};
  const floor: Partial<Record<Mode, ModeRun>> = {};
  try {
    for (const mode of ['http', 'socket'] as const) {
      bot[mode] = await measure(mode, 'slack-bot-child', slack, options);
      floor[mode] = await measure(mode, 'ack-floor-child', slack, options);
    }
  } finally {
    await slack.close();
  }
  const s = (run: ModeRun | undefined) => summarize(run?.acksMs ?? []);
  const [botHttp, botSocket, floorHttp, floorSocket] = [
    s(bot.http),
    s(bot.socket),
    s(floor.http),
    s(floor.socket),
  ];
  const met = botHttp.p99 < 50 && botSocket.p99 < 50;
  const detail = (run: ModeRun | undefined, summary: Summary) => ({
    ackMs: roundSummary(summary),
    p99PerBurstMs: run?.p99PerBurst.map((x) => round(x)),
    ...(run?.allAnsweredMs !== undefined && { allAnsweredMs: round(run.allAnsweredMs) }),
    senderLoopDelayMs: run?.senderLoopDelayMs,
  });
  return {
    name: NAME,
    bot: `HTTP p99 ${round(botHttp.p99)} ms, Socket p99 ${round(botSocket.p99)} ms`,
    baseline: `bare Node: HTTP p99 ${round(floorHttp.p99)}, Socket ${round(floorSocket.p99)}`,
    measure: `HTTP p50/p99 ${round(botHttp.median)}/${round(botHttp.p99)}; Socket ${round(botSocket.median)}/${round(botSocket.p99)} ms`,
    target: TARGET,
    met,
    data: {
      requests: options.requests,
      bursts: options.bursts ?? 3,
      botRuntime: options.child('slack-bot-child').runtime,
      bot: { http: detail(bot.http, botHttp), socket: detail(bot.socket, botSocket) },
      floor: { http: detail(floor.http, floorHttp), socket: detail(floor.socket, floorSocket) },
      method:
        '/tas status; each burst written at once (HTTP: one pre-opened keep-alive connection per request, requests serialised before the clock starts); the stand-in, the senders and the clock in the bench process, the bot in its own',
    },
    notes: met
      ? []
      : [
          `a bare Node process that only verifies and acks (ack-floor-child) reaches p99 ${round(floorHttp.p99)} ms (HTTP) and ${round(floorSocket.p99)} ms (Socket Mode) for the same bursts on this machine; ` +
            `the bot adds ${round(botHttp.p99 - floorHttp.p99)} and ${round(botSocket.p99 - floorSocket.p99)} ms. Both acknowledge before any other work (the bot's receivers, adapters/slack/ack-first-receivers.ts, ack on arrival, before bolt sees the event), ` +
            "so what is left is each event's share of one event loop: reading and verifying 200 requests (or undici's WebSocket frames in Socket Mode, where the floor uses ws), with the answers of earlier events (dispatch, rendering, Web API calls) running between later acks. " +
            'Where even the floor misses the target, bursts this size need more than one process.',
        ],
  };
}

async function measure(
  mode: Mode,
  script: 'slack-bot-child' | 'ack-floor-child',
  slack: SlackStandIn,
  options: AckBenchOptions,
): Promise<ModeRun> {
  const bot = await startChild(mode, script, slack, options);
  try {
    const send =
      mode === 'http' ? await httpSender(bot.eventsUrl, options.requests) : socketSender(slack);
    try {
      return await runBursts(send, slack, options, script === 'slack-bot-child');
    } finally {
      send.close();
    }
  } finally {
    await bot.stop();
  }
}

/**
 * One warm-up burst of `help`, then `options.bursts` bursts of `status`, each timed per request;
 * with `answers`, each burst also waits until every command of it was answered.
 */
export async function runBursts(
  send: Sender,
  slack: SlackStandIn,
  options: Pick<AckBenchOptions, 'requests' | 'bursts'>,
  answers: boolean,
): Promise<ModeRun> {
  const answered = answersIn(slack);
  // One burst of a cheap command first: JIT warm, connections and buffers in use.
  const warm = answered();
  await send(commands(slack, 'help', options.requests));
  if (answers) await waitForAnswers(answered, warm + options.requests, 60_000);
  const delays: { p99: number; max: number }[] = [];
  const acksMs: number[] = [];
  const p99PerBurst: number[] = [];
  let allAnsweredMs: number | undefined;
  for (let burst = 0; burst < (options.bursts ?? 3); burst += 1) {
    // Each burst meets a process that has finished the one before: the last answers' own
    // after-work (finishing intake entries, collecting their garbage) is over, so each burst
    // is a sample of the same situation rather than of how far the previous one got.
    await new Promise((resolve) => setTimeout(resolve, BURST_SETTLE_MS));
    const batch = commands(slack, 'status', options.requests);
    const before = answered();
    // A fresh monitor per burst: one re-enabled across the waits would count them as delay.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    const ms = await send(batch);
    delay.disable();
    delays.push({ p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 });
    acksMs.push(...ms);
    p99PerBurst.push(summarize(ms).p99);
    if (answers) {
      await waitForAnswers(answered, before + options.requests, 120_000);
      allAnsweredMs = performance.now() - started;
    }
  }
  const senderLoopDelayMs = {
    p99: round(Math.max(...delays.map((d) => d.p99))),
    max: round(Math.max(...delays.map((d) => d.max))),
  };
  return {
    acksMs,
    p99PerBurst,
    senderLoopDelayMs,
    ...(allAnsweredMs !== undefined && { allAnsweredMs }),
  };
}

export type Sender = ((batch: readonly Record<string, string>[]) => Promise<number[]>) & {
  close(): void;
};

/** One pre-opened connection per request; each request signed as Slack signs it. */
export async function httpSender(eventsUrl: string, connections: number): Promise<Sender> {
  const url = new URL(eventsUrl);
  const raw = await openRawConnections(url.hostname, Number(url.port), connections);
  const send = async (batch: readonly Record<string, string>[]) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const requests = batch.map((fields) => {
      const body = formBody(fields);
      return {
        path: url.pathname,
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature(SIGNING_SECRET, timestamp, body),
        },
      };
    });
    const answers = await raw.burst(requests);
    const refused = answers.find((a) => a.status !== 200);
    if (refused !== undefined) throw new Error(`/slack/events answered ${refused.status}`);
    return answers.map((a) => a.ms);
  };
  return Object.assign(send, { close: () => raw.close() });
}

function socketSender(slack: SlackStandIn): Sender {
  const send = (batch: readonly Record<string, string>[]) =>
    Promise.all(
      batch.map(async (fields) => {
        const started = performance.now();
        await slack.socket.send('slash_commands', fields).acked;
        return performance.now() - started;
      }),
    );
  return Object.assign(send, { close: () => undefined });
}

function commands(slack: SlackStandIn, text: string, count: number): Record<string, string>[] {
  return Array.from({ length: count }, () =>
    slashCommand({
      user: BENCH_SLACK.alice,
      channel: BENCH_SLACK.channel,
      text,
      responseUrl: slack.newResponseUrl(),
    }),
  );
}

/** Messages, ephemerals and response_url posts the stand-in has received so far. */
export function answersIn(slack: SlackStandIn): () => number {
  return () =>
    slack.events.filter(
      (e) =>
        e.kind === 'respond' ||
        (e.kind === 'api' &&
          (e.method === 'chat.postMessage' || e.method === 'chat.postEphemeral')),
    ).length;
}

async function waitForAnswers(
  answered: () => number,
  want: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (answered() < want && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return answered();
}

export async function startChild(
  mode: Mode,
  script: 'slack-bot-child' | 'ack-floor-child',
  slack: SlackStandIn,
  options: Pick<AckBenchOptions, 'env' | 'child'>,
  extra: Readonly<Record<string, string>> = {},
): Promise<{ eventsUrl: string; stop(): Promise<void> }> {
  const input = childInput(mode, slack, options, extra);
  const child = await startReadyChild(options.child(script), input, `${script} (${mode})`);
  const { eventsUrl } = child.ready;
  return { eventsUrl: typeof eventsUrl === 'string' ? eventsUrl : '', stop: () => child.stop() };
}

/** The JSON input of `slack-bot-child` and `ack-floor-child`. */
export function childInput(
  mode: Mode,
  slack: SlackStandIn,
  options: Pick<AckBenchOptions, 'env'>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    mode,
    apiUrl: slack.apiUrl,
    socketUrl: `${slack.origin.replace(/^http/, 'ws')}/link`,
    dockerHost: options.env.dockerHost,
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    signingSecret: SIGNING_SECRET,
    ...extra,
  };
}
