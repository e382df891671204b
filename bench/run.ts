// `npm run bench` (bench/run.sh provisions and builds first): the benchmarks one after another
// against the real swarm, Redis and the Slack stand-in; a table on stdout and
// bench/results.json. `--only=cold,status` runs some of them. Never part of `npm test`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchAck } from './ack-latency.js';
import { benchApproval } from './approval-to-job.js';
import { benchBurst } from './burst-coalescing.js';
import { benchCold } from './cold-start.js';
import { benchConfigText } from './lib/bench-config.js';
import { benchEnv, type BenchEnv } from './lib/bench-env.js';
import { failedResult, formatTable, writeResults, type BenchResult } from './lib/results.js';
import { round } from './lib/stats.js';
import { benchLogs } from './logs-vs-grep.js';
import { benchStatus } from './status-vs-runbook.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const workDir = `${root}.infra/bench`;

interface Benchmark {
  readonly key: string;
  readonly name: string;
  readonly target: string;
  /** One row, or several when one setup serves them (the logs rows share one 500 MB log). */
  readonly run: () => Promise<BenchResult | readonly BenchResult[]>;
}

/** The bundle `npm run build` makes (bench/run.sh bundles first), else the sources through tsx. */
function cliCommand() {
  const built = `${root}dist/src/cli/bin.js`;
  if (existsSync(built))
    return { command: process.execPath, args: [built], runtime: 'the esbuild bundle, plain node' };
  return {
    command: process.execPath,
    args: ['--import', 'tsx', `${root}src/cli/bin.ts`],
    runtime: 'uncompiled, through tsx',
  };
}

/** A bench child script as compiled JS when there is a build (tsx adds start-up time and ~35 MB of RSS). */
function childCommand(dist: string | undefined, script: string) {
  // --profile: each child writes a V8 CPU profile (open it in Chrome DevTools or speedscope).
  const profile = process.argv.includes('--profile')
    ? ['--cpu-prof', `--cpu-prof-dir=${workDir}/profiles`]
    : [];
  const built = dist === undefined ? undefined : `${dist}/bench/${script}.js`;
  if (built !== undefined && existsSync(built))
    return {
      command: process.execPath,
      args: [...profile, built],
      runtime: 'compiled JS, plain node',
    };
  return {
    command: process.execPath,
    args: [...profile, '--import', 'tsx', `${root}bench/${script}.ts`],
    runtime: 'uncompiled, through tsx (adds ~35 MB RSS)',
  };
}

/** `--name=value` from the command line. */
function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** Every benchmark, in the order they run; `--only=<key>,…` picks some. */
function benchmarkList(env: BenchEnv, configFile: string): Benchmark[] {
  const dist = process.env.BENCH_DIST;
  return [
    {
      key: 'cold',
      name: 'cold status and check',
      target: 'status ≥ 2× faster than the manual sequence; check < 3× bare node',
      run: () => benchCold({ env, runs: 15, cli: cliCommand(), configFile, workDir }),
    },
    {
      key: 'status',
      name: 'status vs runbook sequence and floor',
      target: 'bot ≥ 5× faster; ≤ 1.3× the floor',
      run: () => benchStatus({ env, runs: 15 }),
    },
    {
      key: 'logs',
      name: 'logs vs CLI + grep',
      target:
        '≥ CLI+grep throughput and ≥ 0.9× the raw Engine stream, RSS < 150 MB; grep rows: hostile ≥ 0.5× plain, event loop p99 ≤ 50 ms',
      run: () =>
        benchLogs({
          env,
          bytes: Number(arg('logs-bytes') ?? 520_000_000),
          child: childCommand(dist, 'logs-child'),
          workDir,
        }),
    },
    {
      key: 'approval',
      name: 'approval → job start',
      target: 'p50 < 10 ms',
      run: () => benchApproval({ env, approvals: 200 }),
    },
    {
      key: 'burst',
      name: 'burst of 50 status',
      target: 'Docker calls ≤ single status',
      run: () => benchBurst({ env, burst: 50, rounds: 5 }),
    },
    {
      key: 'ack',
      name: 'acknowledgement latency',
      target: 'p99 < 50 ms',
      run: () => benchAck({ env, requests: 200, child: (script) => childCommand(dist, script) }),
    },
    {
      key: 'ack-two',
      name: 'acknowledgement, one and two bot processes',
      target: 'two processes: p99 ≤ 1.5× the single-process floor',
      run: async () =>
        (await import('./ack-two-processes.js')).benchAckTwoProcesses({
          env,
          requests: 200,
          bursts: 8,
          child: (script) => childCommand(dist, script),
        }),
    },
    {
      key: 'failover',
      name: 'failover time',
      target: 'measured: primary SIGKILLed → readiness 200 again',
      run: async () =>
        (await import('./failover-time.js')).benchFailover({
          cli: cliCommand(),
          configFile,
          workDir,
        }),
    },
    {
      key: 'recovery',
      name: 'recovery after a crash',
      target: 'measured: worker SIGKILL mid-restart → verdict; Redis SIGKILL → readiness 200',
      run: async () =>
        (await import('./recovery.js')).benchRecovery({ cli: cliCommand(), configFile, workDir }),
    },
    {
      key: 'engine-calls',
      name: 'Engine calls per restart',
      target: '≤ 8 + 1 per convergence poll',
      run: async () => (await import('./engine-calls.js')).benchEngineCalls({ env, restarts: 3 }),
    },
  ];
}

/** One benchmark's rows, each with the load average around it (a noisy machine says so). */
async function runBenchmark(benchmark: Benchmark): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const started = performance.now();
  process.stderr.write(`[bench] ${benchmark.name}…\n`);
  const loadBefore = os.loadavg()[0] ?? 0;
  let rows: readonly BenchResult[];
  try {
    const ran = await benchmark.run();
    rows = Array.isArray(ran) ? ran : [ran as BenchResult];
  } catch (error) {
    rows = [failedResult(benchmark.name, benchmark.target, error)];
  }
  // These machines have two cores: anything else running skews every number here.
  const load = { before: round(loadBefore, 2), after: round(os.loadavg()[0] ?? 0, 2) };
  for (let result of rows) {
    result = { ...result, data: { ...result.data, loadAverage1m: load } };
    // Only the load before counts: during a benchmark it includes the benchmark's own daemon and children.
    if (load.before > os.cpus().length) {
      result = {
        ...result,
        notes: [
          ...result.notes,
          `the 1-minute load average was ${load.before} → ${load.after} on ${os.cpus().length} cores: other processes competed for the CPU`,
        ],
      };
    }
    process.stderr.write(
      `[bench] ${result.name}: ${result.measure} (${Math.round((performance.now() - started) / 1000)} s)\n`,
    );
    results.push(result);
  }
  return results;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const only = arg('only')?.split(',');
  const env = benchEnv();
  await mkdir(workDir, { recursive: true });
  const configFile = `${workDir}/tas-chatops.yml`;
  await writeFile(configFile, benchConfigText({ dockerHost: env.dockerHost }));
  const results: BenchResult[] = [];
  for (const benchmark of benchmarkList(env, configFile)) {
    if (only === undefined || only.includes(benchmark.key))
      results.push(...(await runBenchmark(benchmark)));
  }

  const resultsFile = `${root}bench/results.json`;
  await writeResults(resultsFile, results, startedAt);
  process.stdout.write(`\n${formatTable(results)}\n\n`);
  for (const result of results) {
    for (const note of result.notes) process.stdout.write(`- ${result.name}: ${note}\n`);
    if (result.error !== undefined)
      process.stdout.write(`- ${result.name}: ERROR ${result.error}\n`);
  }
  process.stdout.write(`\nwritten: ${resultsFile}\n`);
  // Missed targets are findings, not failures; a benchmark that could not run is one.
  return results.some((r) => r.met === undefined) ? 1 : 0;
}

process.exitCode = await main();
