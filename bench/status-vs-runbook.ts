import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { renderText } from '../adapters/console/render-text.js';
import type { StatusSnapshot } from '../src/diagnostics/status/status-snapshot.js';
import { benchConfigText } from './lib/bench-config.js';
import { startBenchCore } from './lib/bench-core.js';
import { FIXTURE_PROBES, FIXTURE_SERVICES, FIXTURE_STACK, type BenchEnv } from './lib/bench-env.js';
import type { BenchResult } from './lib/results.js';
import { floorRow, measureFloor, type FloorSample } from './lib/status-floor.js';
import { runProcess } from './lib/run-process.js';
import { median, round, roundSummary, summarize, timed, type Summary } from './lib/stats.js';

export interface StatusBenchOptions {
  readonly env: BenchEnv;
  /** Measured runs of each side (after one warm-up each), interleaved. */
  readonly runs: number;
}

const NAME = 'status vs runbook sequence';
const TARGET = 'bot ≥ 5× faster (ratio of medians)';
const SCRIPT = fileURLToPath(new URL('./runbook-status.sh', import.meta.url));

/** The runbook's manual status sequence on the fixture stack, as a command (runbook-status.sh). */
export function runbookSequence(env: BenchEnv) {
  return {
    command: 'bash',
    args: [
      SCRIPT,
      FIXTURE_STACK,
      FIXTURE_SERVICES.join(' '),
      FIXTURE_PROBES.map((p) => p.url).join(' '),
    ],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: env.dockerHost },
  };
}

/**
 * Benchmark 1: `/tas status` through the console path of a long-running core against the
 * runbook's manual sequence as a script (docker service ls, docker service ps per service, curl
 * per probe) on the `tasfix` fixture stack, interleaved, ratio of medians; then the bot against
 * the physical floor of a status, interleaved in rounds of their own.
 */
export async function benchStatus(options: StatusBenchOptions): Promise<BenchResult[]> {
  const configText = benchConfigText({ dockerHost: options.env.dockerHost });
  const bot = await startBenchCore(configText);
  const runbook = runbookSequence(options.env);
  const botSamples: number[] = [];
  const scriptSamples: number[] = [];
  const floorBotSamples: number[] = [];
  const floors: FloorSample[] = [];
  const probeLatency: Record<string, number[]> = {};
  const curlLatency: Record<string, number[]> = {};
  let verdict = '';
  // Kept alive like the bot's Docker client keeps its Engine sockets (the bare-client rounds).
  const engineAgent = new http.Agent({ keepAlive: true });

  const runBot = async () => {
    const { ms, value } = await timed(async () => {
      const reply = await bot.say('alice', '/tas status');
      return { reply, text: renderText(reply, '/tas') };
    });
    const snapshot = value.reply.data as StatusSnapshot | undefined;
    if (snapshot?.verdict === undefined)
      throw new Error(`/tas status answered without a snapshot: ${value.text}`);
    verdict = snapshot.verdict;
    for (const probe of snapshot.probes) (probeLatency[probe.name] ??= []).push(probe.latencyMs);
    return ms;
  };
  const runScript = async () => {
    const run = await runProcess(runbook.command, runbook.args, { env: runbook.env });
    const answers = run.stdout.split('\n').flatMap((l) => {
      const m = /^(\S+) (\d{3}) ([\d.]+)$/.exec(l);
      return m === null ? [] : [{ url: m[1] ?? '', seconds: Number(m[3]) }];
    });
    for (const { url, seconds } of answers) (curlLatency[url] ??= []).push(seconds * 1000);
    const answered = answers.length;
    if (run.code !== 0 || answered !== FIXTURE_PROBES.length) {
      throw new Error(
        `runbook-status.sh exited ${String(run.code)} with ${answered} probe answers: ${run.stderr.slice(0, 500)}`,
      );
    }
    return run.ms;
  };

  try {
    await runBot();
    await runScript();
    for (const key of Object.keys(probeLatency)) probeLatency[key] = [];
    for (const key of Object.keys(curlLatency)) curlLatency[key] = [];
    for (let i = 0; i < options.runs; i += 1) {
      // Alternate who goes first, so neither always finds the daemon's caches warm.
      if (i % 2 === 0) {
        botSamples.push(await runBot());
        scriptSamples.push(await runScript());
      } else {
        scriptSamples.push(await runScript());
        botSamples.push(await runBot());
      }
    }
    // The floor's rounds are their own, the bot and the floor alternating who goes first: right
    // after the script's dozen processes, dockerd and the probe servers answer a status 1.5–3 ms
    // slower than back to back, and measuring the floor only after the bot would give its parts
    // the warm daemon every time and the bot never.
    for (let i = 0; i < options.runs; i += 1) {
      if (i % 2 === 0) {
        floorBotSamples.push(await runBot());
        floors.push(await measureFloor(options.env, engineAgent));
      } else {
        floors.push(await measureFloor(options.env, engineAgent));
        floorBotSamples.push(await runBot());
      }
    }
  } finally {
    engineAgent.destroy();
    await bot.close();
  }

  const bots = summarize(botSamples);
  const samples = { bots, scripts: summarize(scriptSamples), probeLatency, curlLatency };
  return [mainRow(options.runs, verdict, samples), floorRow(median(floorBotSamples), floors)];
}

interface StatusSamples {
  readonly bots: Summary;
  readonly scripts: Summary;
  /** The bot's own probe latencies, by probe name. */
  readonly probeLatency: Readonly<Record<string, number[]>>;
  /** curl's time_total, by URL. */
  readonly curlLatency: Readonly<Record<string, number[]>>;
}

function mainRow(runs: number, verdict: string, samples: StatusSamples): BenchResult {
  const { bots, scripts, probeLatency, curlLatency } = samples;
  const ratio = scripts.median / bots.median;
  // Per route: the bot's probe (run with the listing, all at once) beside curl's own time_total
  // (one after another), to tell a slow probe from a slow route.
  const probes = Object.fromEntries(
    FIXTURE_PROBES.map(({ name, url }) => {
      const bot = probeLatency[name] ?? [];
      const curl = curlLatency[url] ?? [];
      return [
        name,
        {
          botMedianMs: median(bot),
          botMaxMs: Math.max(...bot),
          curlMedianMs: round(median(curl)),
          curlMaxMs: round(Math.max(...curl)),
        },
      ];
    }),
  );
  return {
    name: NAME,
    bot: `median ${round(bots.median)} ms (p99 ${round(bots.p99)})`,
    baseline: `median ${round(scripts.median)} ms (p99 ${round(scripts.p99)})`,
    measure: `${round(ratio)}× faster`,
    target: TARGET,
    met: ratio >= 5,
    data: {
      runs,
      verdict,
      botMs: roundSummary(bots),
      manualMs: roundSummary(scripts),
      ratioOfMedians: round(ratio, 2),
      probeLatencyMs: probes,
    },
    notes: [],
  };
}
