import { fileURLToPath } from 'node:url';
import { renderText } from '../adapters/console/render-text.js';
import type { StatusSnapshot } from '../src/diagnostics/status/status-snapshot.js';
import { benchConfigText } from './lib/bench-config.js';
import { startBenchCore } from './lib/bench-core.js';
import { FIXTURE_PROBES, FIXTURE_SERVICES, FIXTURE_STACK, type BenchEnv } from './lib/bench-env.js';
import type { BenchResult } from './lib/results.js';
import { runProcess } from './lib/run-process.js';
import { median, round, roundSummary, summarize, timed } from './lib/stats.js';

export interface StatusBenchOptions {
  readonly env: BenchEnv;
  /** Measured runs of each side (after one warm-up each), interleaved. */
  readonly runs: number;
  /** `tas-chatops run "/tas status"` in a fresh process, this many times. */
  readonly coldRuns: number;
  /** The built CLI (`…/dist/src/cli/bin.js`) and how it was built, for the cold runs. */
  readonly cli: {
    readonly command: string;
    readonly args: readonly string[];
    readonly runtime: string;
  };
  /** The same config as a file, for the cold process (`TAS_CHATOPS_CONFIG`). */
  readonly configFile: string;
}

const NAME = 'status vs runbook sequence';
const TARGET = 'bot ≥ 5× faster (ratio of medians)';
const SCRIPT = fileURLToPath(new URL('./runbook-status.sh', import.meta.url));

/**
 * Benchmark 1: `/tas status` through the console path of a long-running core against the
 * runbook's manual sequence as a script (docker service ls, docker service ps per service, curl
 * per probe) on the `tasfix` fixture stack, interleaved, ratio of medians. The cold
 * `tas-chatops run` process is reported beside it.
 */
export async function benchStatus(options: StatusBenchOptions): Promise<BenchResult> {
  const configText = benchConfigText({ dockerHost: options.env.dockerHost });
  const bot = await startBenchCore(configText);
  const scriptArgs = [
    SCRIPT,
    FIXTURE_STACK,
    FIXTURE_SERVICES.join(' '),
    FIXTURE_PROBES.map((p) => p.url).join(' '),
  ];
  const scriptEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DOCKER_HOST: options.env.dockerHost,
  };
  const botSamples: number[] = [];
  const scriptSamples: number[] = [];
  const probeLatency: Record<string, number[]> = {};
  const curlLatency: Record<string, number[]> = {};
  let verdict = '';

  const runBot = async () => {
    const { ms, value } = await timed(async () => {
      const reply = await bot.say('alice', '/tas status');
      return { reply, text: renderText(reply) };
    });
    const snapshot = value.reply.data as StatusSnapshot | undefined;
    if (snapshot?.verdict === undefined)
      throw new Error(`/tas status answered without a snapshot: ${value.text}`);
    verdict = snapshot.verdict;
    for (const probe of snapshot.probes) (probeLatency[probe.name] ??= []).push(probe.latencyMs);
    return ms;
  };
  const runScript = async () => {
    const run = await runProcess('bash', scriptArgs, { env: scriptEnv });
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
  } finally {
    await bot.close();
  }

  const cold: number[] = [];
  let coldError: string | undefined;
  for (let i = 0; i < options.coldRuns; i += 1) {
    const run = await runProcess(
      options.cli.command,
      [...options.cli.args, 'run', '--env', 'tasfix', '--as', 'alice', '/tas status'],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          TAS_CHATOPS_CONFIG: options.configFile,
        },
        timeoutMs: 60_000,
      },
    );
    if (!run.stdout.includes('tasfix')) {
      coldError = `tas-chatops run exited ${String(run.code)}: ${run.stderr.slice(0, 400)}`;
      break;
    }
    cold.push(run.ms);
  }

  const bots = summarize(botSamples);
  const scripts = summarize(scriptSamples);
  const ratio = scripts.median / bots.median;
  const colds = summarize(cold);
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
      runs: options.runs,
      verdict,
      botMs: roundSummary(bots),
      manualMs: roundSummary(scripts),
      ratioOfMedians: round(ratio, 2),
      probeLatencyMs: probes,
      coldProcess: {
        command: `tas-chatops run --env tasfix "/tas status" (${options.cli.runtime})`,
        ms: roundSummary(colds),
        ratioOfMediansVsManual: round(scripts.median / colds.median, 2),
        ...(coldError !== undefined && { error: coldError }),
      },
    },
    notes: [
      `Cold process: \`tas-chatops run "/tas status"\` (${options.cli.runtime}) takes a median ${round(colds.median)} ms over ${colds.n} runs ` +
        `(${round(scripts.median / colds.median, 1)}× the manual sequence): Node start-up and module loading ` +
        '(the chat adapters, Redis/BullMQ and the AWS SDK load only when configured) dominate it; ' +
        'the chat bot is a long-running process and pays them once.',
      ...(coldError === undefined ? [] : [`cold runs stopped: ${coldError}`]),
    ],
  };
}
