import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { slashCommand } from '../test/stand-ins/slack/payloads.js';
import { createSignedClient, formBody } from '../test/stand-ins/slack/signed-client.js';
import { startSlackStandIn, type SlackStandIn } from '../test/stand-ins/slack/slack-stand-in.js';
import { BENCH_SLACK } from './lib/bench-config.js';
import type { BenchEnv } from './lib/bench-env.js';
import type { BenchResult } from './lib/results.js';
import { round, roundSummary, summarize } from './lib/stats.js';

export interface AckBenchOptions {
  readonly env: BenchEnv;
  /** Concurrent slash commands per mode. */
  readonly requests: number;
  /** How to start bench/slack-bot-child (compiled when there is a build). */
  readonly child: {
    readonly command: string;
    readonly args: readonly string[];
    readonly runtime: string;
  };
}

const NAME = 'acknowledgement latency';
const TARGET = 'p99 < 50 ms (HTTP and Socket Mode)';
const BOT_TOKEN = 'xoxb-900000000000-900000000001-benchbottoken';
const APP_TOKEN = 'xapp-1-A0BENCH-900000000002-benchapptoken';
const SIGNING_SECRET = 'bench-signing-secret-5e2a';

type Mode = 'http' | 'socket';

interface ModeRun {
  readonly acksMs: number[];
  /** From the first request until every answer reached the stand-in. */
  readonly allAnsweredMs: number;
  readonly answers: number;
  /** How late this process (senders, stand-in, clock) ran its callbacks during the burst. */
  readonly senderLoopDelayMs: { readonly p99: number; readonly max: number };
}

/**
 * Benchmark 3: `requests` concurrent `/tas status` commands to the bot's Slack adapter, signed
 * HTTP requests to `/slack/events` on the bot's own HTTP server, then as many Socket Mode
 * envelopes; latency = request sent → acknowledgement received (the HTTP response; the
 * envelope's ack frame). The bot runs in a child process; the Slack stand-in and the load run
 * here. The answers (a status each) are posted after the acks, as in production.
 */
export async function benchAck(options: AckBenchOptions): Promise<BenchResult> {
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const runs: Partial<Record<Mode, ModeRun>> = {};
  try {
    for (const mode of ['http', 'socket'] as const)
      runs[mode] = await measureMode(mode, slack, options);
  } finally {
    await slack.close();
  }
  const http = summarize(runs.http?.acksMs ?? []);
  const socket = summarize(runs.socket?.acksMs ?? []);
  const met = http.p99 < 50 && socket.p99 < 50;
  return {
    name: NAME,
    bot: `${options.requests} at once: HTTP p99 ${round(http.p99)} ms, Socket p99 ${round(socket.p99)} ms`,
    baseline: "Slack's 3 s deadline",
    measure: `HTTP p50/p99 ${round(http.median)}/${round(http.p99)}; Socket ${round(socket.median)}/${round(socket.p99)} ms`,
    target: TARGET,
    met,
    data: {
      requests: options.requests,
      botRuntime: options.child.runtime,
      http: {
        ackMs: roundSummary(http),
        allAnsweredMs: round(runs.http?.allAnsweredMs ?? Number.NaN),
        answers: runs.http?.answers,
        senderLoopDelayMs: runs.http?.senderLoopDelayMs,
      },
      socket: {
        ackMs: roundSummary(socket),
        allAnsweredMs: round(runs.socket?.allAnsweredMs ?? Number.NaN),
        answers: runs.socket?.answers,
        senderLoopDelayMs: runs.socket?.senderLoopDelayMs,
      },
      command:
        '/tas status, all sent at once; the Slack stand-in, the senders and the clock in the bench process, the bot in its own',
    },
    notes: [],
  };
}

async function measureMode(
  mode: Mode,
  slack: SlackStandIn,
  options: AckBenchOptions,
): Promise<ModeRun> {
  const bot = await startBot(mode, slack, options);
  try {
    if (mode === 'socket') await slack.socket.connected(1);
    const send = mode === 'http' ? httpSender(slack, bot.eventsUrl) : socketSender(slack);
    const answered = answersIn(slack);
    // A burst of cheap commands first: JIT warm, and in HTTP mode as many keep-alive
    // connections open as the measured burst needs, so it times the bot, not TCP handshakes.
    const warm = answered();
    await Promise.all(Array.from({ length: options.requests }, () => send('help')));
    await waitForAnswers(answered, warm + options.requests, 60_000);
    const before = answered();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    const acksMs = await Promise.all(
      Array.from({ length: options.requests }, () => send('status')),
    );
    delay.disable();
    const answers = await waitForAnswers(answered, before + options.requests, 120_000);
    const senderLoopDelayMs = {
      p99: round(delay.percentile(99) / 1e6),
      max: round(delay.max / 1e6),
    };
    return {
      acksMs,
      allAnsweredMs: performance.now() - started,
      answers: answers - before,
      senderLoopDelayMs,
    };
  } finally {
    await bot.stop();
  }
}

/** Builds each command before the clock starts; resolves with the ms until the ack. */
function httpSender(slack: SlackStandIn, eventsUrl: string) {
  const signed = createSignedClient({ url: () => eventsUrl, signingSecret: SIGNING_SECRET });
  return async (text: string): Promise<number> => {
    const raw = formBody(command(slack, text));
    const started = performance.now();
    const response = await signed.send(raw);
    const ms = performance.now() - started;
    if (response.status !== 200)
      throw new Error(`/slack/events answered ${response.status}: ${response.body.slice(0, 200)}`);
    return ms;
  };
}

function socketSender(slack: SlackStandIn) {
  return async (text: string): Promise<number> => {
    const fields = command(slack, text);
    const started = performance.now();
    await slack.socket.send('slash_commands', fields).acked;
    return performance.now() - started;
  };
}

function command(slack: SlackStandIn, text: string): Record<string, string> {
  return slashCommand({
    user: BENCH_SLACK.alice,
    channel: BENCH_SLACK.channel,
    text,
    responseUrl: slack.newResponseUrl(),
  });
}

/** Messages, ephemerals and response_url posts the stand-in has received so far. */
function answersIn(slack: SlackStandIn): () => number {
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

async function startBot(
  mode: Mode,
  slack: SlackStandIn,
  options: AckBenchOptions,
): Promise<{ eventsUrl: string; stop(): Promise<void> }> {
  const input = {
    mode,
    apiUrl: slack.apiUrl,
    dockerHost: options.env.dockerHost,
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    signingSecret: SIGNING_SECRET,
  };
  const child: ChildProcess = spawn(
    options.child.command,
    [...options.child.args, JSON.stringify(input)],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr
    ?.setEncoding('utf8')
    .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit');
  const ready = await new Promise<{ eventsUrl: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the Slack bot (${mode}) did not start within 60 s: ${stderr}`)),
      60_000,
    );
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { ready?: boolean; eventsUrl?: string };
      if (message.ready === true) {
        clearTimeout(timer);
        resolve({ eventsUrl: message.eventsUrl ?? '' });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the Slack bot (${mode}) exited before it was ready: ${stderr}`));
    });
  });
  return {
    eventsUrl: ready.eventsUrl,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
