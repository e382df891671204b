import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { startToReady } from './cold-serve.js';
import { FIXTURE_PROBES, type BenchEnv } from './lib/bench-env.js';
import type { BenchResult } from './lib/results.js';
import { runProcess, type ProcessRun } from './lib/run-process.js';
import { round, roundSummary, summarize } from './lib/stats.js';
import { runbookSequence } from './status-vs-runbook.js';

export interface ColdBenchOptions {
  readonly env: BenchEnv;
  /** Measured runs of each command (after one warm-up each), interleaved. */
  readonly runs: number;
  /** How to start the CLI: the bundle `npm run build` makes, as the package's bin runs it. */
  readonly cli: {
    readonly command: string;
    readonly args: readonly string[];
    readonly runtime: string;
  };
  /** The bench config (the tasfix stack on our own swarm), as `TAS_CHATOPS_CONFIG`. */
  readonly configFile: string;
  readonly workDir: string;
}

const ROWS = {
  status: {
    name: 'cold status vs runbook sequence',
    target: '≥ 2× faster than the manual sequence',
  },
  check: { name: 'cold check vs bare node', target: '< 3× `node -e ""`' },
};
/**
 * GNU time: the peak RSS of each process (`%M`, KB) and its CPU time with its children's (`%U`
 * `%S`, seconds), written to a file, not to its stderr.
 */
const TIME = '/usr/bin/time';

interface Sample {
  readonly ms: number;
  readonly maxRssKB: number | undefined;
  /** User + system CPU time: what load from other processes inflates least. */
  readonly cpuMs: number | undefined;
}

interface Contender {
  readonly key: 'bare' | 'manual' | 'status' | 'check';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Throws when the run did not do its job (a failed status is no measurement). */
  readonly verify: (run: ProcessRun) => void;
}

/**
 * Cold processes as an on-call engineer starts them from a shell, against each other in one
 * run: `tas-chatops run "/tas status"`, `tas-chatops check`, the runbook's manual status
 * sequence (docker service ls, docker service ps per service, curl per probe) and a bare
 * `node -e ""` (what any Node CLI pays before its first line of code). Interleaved: each round
 * runs all four, the order rotating, so a burst of load from elsewhere hits them alike.
 */
export async function benchCold(options: ColdBenchOptions): Promise<BenchResult[]> {
  const contenders = coldContenders(options);
  const samples = new Map<Contender['key'], Sample[]>(contenders.map((c) => [c.key, []]));
  const rssFile = `${options.workDir}/cold-rss.txt`;
  for (const contender of contenders) await measure(contender, rssFile); // warm-up: page cache
  for (let round = 0; round < options.runs; round += 1) {
    for (let i = 0; i < contenders.length; i += 1) {
      const contender = contenders[(round + i) % contenders.length]!;
      samples.get(contender.key)!.push(await measure(contender, rssFile));
    }
  }
  await rm(rssFile, { force: true });
  // `start` stays fast too: a replacement bot during an incident. Not interleaved (it holds a
  // port and a private Redis for its whole run); one warm-up, then five.
  const serve = {
    cli: options.cli,
    configFile: options.configFile,
    dataDir: `${options.workDir}/cold-start-data`,
  };
  await startToReady(serve);
  const ready: number[] = [];
  for (let i = 0; i < 5; i += 1) ready.push(await startToReady(serve));
  return coldRows(options, samples, ready);
}

function coldContenders(options: ColdBenchOptions): Contender[] {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  const cliEnv = {
    PATH: path,
    HOME: process.env.HOME ?? '/tmp',
    TAS_CHATOPS_CONFIG: options.configFile,
  };
  const bin = installedBin(options.cli);
  const cli = (args: readonly string[]) => [...bin.args, ...args];
  return [
    {
      key: 'bare',
      command: process.execPath,
      args: ['-e', ''],
      env: { PATH: path },
      verify: (run) => expectExit(run, 'node -e ""'),
    },
    {
      key: 'manual',
      ...runbookSequence(options.env),
      verify: (run) => {
        expectExit(run, 'runbook-status.sh');
        const answered = run.stdout.split('\n').filter((l) => /^\S+ \d{3} [\d.]+$/.test(l));
        if (answered.length !== FIXTURE_PROBES.length)
          throw new Error(`runbook-status.sh answered ${answered.length} probes: ${run.stdout}`);
      },
    },
    {
      key: 'status',
      command: bin.command,
      args: cli(['run', '--env', 'tasfix', '--as', 'alice', '/tas status']),
      env: cliEnv,
      verify: (run) => {
        // The fixture's readiness route answers 503 by design: the verdict is DOWN, exit 0.
        if (!/^tasfix: \w+/m.test(run.stdout) || !run.stdout.includes('Probes'))
          throw new Error(`tas-chatops run "/tas status" answered: ${run.stdout}${run.stderr}`);
      },
    },
    {
      key: 'check',
      command: bin.command,
      args: cli(['check']),
      env: cliEnv,
      verify: (run) => {
        expectExit(run, 'tas-chatops check');
        if (!run.stdout.startsWith('✓')) throw new Error(`tas-chatops check: ${run.stdout}`);
      },
    },
  ];
}

/**
 * The bundle as the package's bin runs it: bin.js executed itself, so its first lines (sh) pick
 * the startup snapshot for `check`; `node bin.js` would skip them.
 */
function installedBin(cli: ColdBenchOptions['cli']): { command: string; args: readonly string[] } {
  const [script, ...rest] = cli.args;
  return script?.endsWith('dist/src/cli/bin.js') === true && rest.length === 0
    ? { command: script, args: [] }
    : cli;
}

function expectExit(run: ProcessRun, what: string): void {
  if (run.code !== 0)
    throw new Error(`${what} exited ${String(run.code)}: ${run.stderr.slice(0, 600)}`);
}

/** One run from spawn to exit; the peak RSS through GNU time when it is installed. */
async function measure(contender: Contender, rssFile: string): Promise<Sample> {
  const withTime = existsSync(TIME);
  const run = await runProcess(
    withTime ? TIME : contender.command,
    withTime
      ? ['-f', '%M %U %S', '-o', rssFile, contender.command, ...contender.args]
      : contender.args,
    { env: contender.env, timeoutMs: 60_000 },
  );
  contender.verify(run);
  const [rss, user, system] = withTime
    ? (await readFile(rssFile, 'utf8')).trim().split(/\s+/).map(Number)
    : [];
  const cpuMs = (user ?? Number.NaN) * 1000 + (system ?? Number.NaN) * 1000;
  return {
    ms: run.ms,
    maxRssKB: Number.isFinite(rss) ? rss : undefined,
    cpuMs: Number.isFinite(cpuMs) ? cpuMs : undefined,
  };
}

function coldRows(
  options: ColdBenchOptions,
  samples: Map<string, Sample[]>,
  ready: readonly number[],
): BenchResult[] {
  const ms = (key: string) => summarize((samples.get(key) ?? []).map((s) => s.ms));
  const peakMB = (key: string) => {
    const kb = (samples.get(key) ?? []).flatMap((s) =>
      s.maxRssKB === undefined ? [] : [s.maxRssKB],
    );
    return kb.length === 0 ? undefined : round(Math.max(...kb) / 1024);
  };
  const [bare, manual, status, check] = ['bare', 'manual', 'status', 'check'].map(ms) as [
    ReturnType<typeof ms>,
    ReturnType<typeof ms>,
    ReturnType<typeof ms>,
    ReturnType<typeof ms>,
  ];
  const faster = manual.median / status.median;
  const overBare = check.median / bare.median;
  const cpu = (key: string) => {
    const all = (samples.get(key) ?? []).flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
    return all.length === 0 ? undefined : round(summarize(all).median);
  };
  const data = {
    runs: options.runs,
    cli: options.cli.runtime,
    bareNodeMs: roundSummary(bare),
    manualSequenceMs: roundSummary(manual),
    coldStatusMs: roundSummary(status),
    coldCheckMs: roundSummary(check),
    peakRssMB: { bare: peakMB('bare'), status: peakMB('status'), check: peakMB('check') },
    startToReadyMs: roundSummary(summarize(ready)),
    cpuMs: { bare: cpu('bare'), manual: cpu('manual'), status: cpu('status'), check: cpu('check') },
  };
  const cpuNote = `CPU time (user + system, medians; less inflated by other load than wall time): status ${cpu('status')} ms, manual sequence ${cpu('manual')} ms, check ${cpu('check')} ms, bare node ${cpu('bare')} ms`;
  const mb = (key: string) => (peakMB(key) === undefined ? '' : `, ${peakMB(key)} MB`);
  const note = `bare \`node -e ""\`: median ${round(bare.median)} ms${mb('bare')}; ${options.runs} runs of each, interleaved (${options.cli.runtime})`;
  return [
    {
      ...ROWS.status,
      bot: `median ${round(status.median)} ms${mb('status')} (${round(status.median / bare.median, 1)}× bare node)`,
      baseline: `median ${round(manual.median)} ms`,
      measure: `${round(faster, 2)}× faster`,
      met: faster >= 2,
      data: { ...data, ratioOfMedians: round(faster, 2) },
      notes: [note, cpuNote],
    },
    {
      ...ROWS.check,
      bot: `median ${round(check.median)} ms${mb('check')}`,
      baseline: `median ${round(bare.median)} ms${mb('bare')}`,
      measure: `${round(overBare, 2)}× bare node`,
      met: overBare < 3,
      data: { ...data, ratioOfMedians: round(overBare, 2) },
      notes: [
        note,
        cpuNote,
        `\`tas-chatops start\` (headless, its private Redis) from spawn to /health/ready 200: median ${round(summarize(ready).median)} ms over ${ready.length} runs`,
      ],
    },
  ];
}
