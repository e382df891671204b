import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { freePort } from '../test/support/free-port.js';
import { DOWN_AFTER_MS, startSentinelSet } from './failover-sentinel-set.js';
import type { BenchResult } from './lib/results.js';
import { round, roundSummary, summarize } from './lib/stats.js';

export interface FailoverBenchOptions {
  /** How to run `tas-chatops` (the bundle when there is one). */
  readonly cli: { readonly command: string; readonly args: readonly string[] };
  readonly configFile: string;
  readonly workDir: string;
  /** Failovers measured, each on a fresh Sentinel set and bot. */
  readonly runs?: number;
}

interface Failover {
  /** Primary SIGKILLed → a sentinel announced the promoted replica (+switch-master). */
  readonly switchMs: number;
  /** Primary SIGKILLed → the first /health/ready that was not 200. */
  readonly unreadyMs: number | undefined;
  /** Primary SIGKILLed → /health/ready 200 again (after the switch and the outage). */
  readonly readyAgainMs: number;
  /** What the 503s said in between (numbers as N). */
  readonly failing: readonly string[];
}

const NAME = 'failover time';
const TARGET = 'measured: primary SIGKILLed → readiness 200 again';
const POLL_MS = 25;

/**
 * Benchmark: a headless `tas-chatops start` (workers in process) on a private Sentinel set of
 * redis-server processes on loopback (primary, replica, three sentinels, quorum 2, down-after
 * 1 s); once it is ready the primary is SIGKILLed and /health/ready is polled every 25 ms until
 * it answers 200 again after the sentinels promoted the replica.
 */
export async function benchFailover(options: FailoverBenchOptions): Promise<BenchResult> {
  const failovers: Failover[] = [];
  for (let run = 0; run < (options.runs ?? 3); run += 1) failovers.push(await oneFailover(options));
  const ready = summarize(failovers.map((f) => f.readyAgainMs));
  const switched = summarize(failovers.map((f) => f.switchMs));
  const unready = failovers.map((f) => f.unreadyMs);
  const neverUnready = unready.filter((ms) => ms === undefined).length;
  return {
    name: NAME,
    bot: `ready again after ${round(ready.median)} ms (median of ${failovers.length}; max ${round(ready.max)})`,
    baseline: `sentinels promoted the replica after ${round(switched.median)} ms (down-after ${DOWN_AFTER_MS} ms)`,
    measure: `bot's share ${round(ready.median - switched.median)} ms after the promotion`,
    target: TARGET,
    met: neverUnready === 0,
    data: {
      runs: failovers.length,
      readyAgainMs: roundSummary(ready),
      switchMs: roundSummary(switched),
      unreadyMs: unready.map((ms) => (ms === undefined ? null : round(ms))),
      perRun: failovers.map((f) => ({
        switchMs: round(f.switchMs),
        unreadyMs: f.unreadyMs === undefined ? null : round(f.unreadyMs),
        readyAgainMs: round(f.readyAgainMs),
      })),
      readinessSaid: [...new Set(failovers.flatMap((f) => f.failing))],
      method: `redis-server primary, replica and three --sentinel processes on 127.0.0.1 (down-after-milliseconds ${DOWN_AFTER_MS}, quorum 2); REDIS_URL=redis+sentinel://…; /health/ready polled every ${POLL_MS} ms`,
    },
    notes:
      neverUnready === 0
        ? []
        : [
            `in ${neverUnready} of ${failovers.length} runs readiness stayed 200 through the outage`,
          ],
  };
}

async function oneFailover(options: FailoverBenchOptions): Promise<Failover> {
  const dir = `${options.workDir}/failover-${randomUUID()}`;
  const set = await startSentinelSet(`${dir}/redis`);
  try {
    const bot = await startBot(options, set.url, dir);
    try {
      // A few canary rounds in the steady state first.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const killed = set.killPrimary();
      let switchedAt: number | undefined;
      void set.switched().then((at) => (switchedAt = at));
      let unreadyAt: number | undefined;
      const seen = new Set<string>();
      const deadline = killed + 60_000;
      while (performance.now() < deadline) {
        const { status, failing } = await readiness(bot.port);
        const now = performance.now();
        for (const check of failing) seen.add(check.replace(/\d+(\.\d+)?/g, 'N'));
        if (status !== 200) unreadyAt ??= now;
        else if (switchedAt !== undefined && unreadyAt !== undefined)
          return {
            switchMs: switchedAt - killed,
            unreadyMs: unreadyAt - killed,
            readyAgainMs: now - killed,
            failing: [...seen],
          };
        else if (switchedAt !== undefined && now - switchedAt > 20_000)
          return {
            switchMs: switchedAt - killed,
            unreadyMs: undefined,
            readyAgainMs: now - killed,
            failing: [...seen],
          };
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      throw new Error(`readiness not 200 again within 60 s of the kill: ${bot.stderr()}`);
    } finally {
      await bot.stop();
    }
  } finally {
    await set.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startBot(options: FailoverBenchOptions, redisUrl: string, dir: string) {
  const port = await freePort();
  const child = spawn(options.cli.command, [...options.cli.args, 'start'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TAS_CHATOPS_CONFIG: options.configFile,
      TAS_CHATOPS_DATA_DIR: `${dir}/bot`,
      REDIS_URL: redisUrl,
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = performance.now() + 60_000;
  while ((await readiness(port)).status !== 200) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tas-chatops start was not ready within 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Readiness {
  /** 0 when nothing answered within a second. */
  readonly status: number;
  /** The failing checks of a 503, as `name: detail`. */
  readonly failing: readonly string[];
}

/** GET /health/ready: its status and the checks that failed. */
export function readiness(port: number): Promise<Readiness> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: '/health/ready', agent: false, timeout: 1000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, failing: failingChecks(body) }),
        );
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve({ status: 0, failing: [] }));
  });
}

function failingChecks(body: string): string[] {
  try {
    const { checks } = JSON.parse(body) as {
      checks?: { name: string; ok: boolean; detail?: string }[];
    };
    return (checks ?? []).filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`);
  } catch {
    return [];
  }
}
