import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { RUNBOOK_LOG_PATTERNS } from '../src/diagnostics/logs/log-patterns.js';
import { createDockerClient } from '../src/infra/docker/create-docker-client.js';
import { DOCKER_CLI, type BenchEnv } from './lib/bench-env.js';
import { runbookEre } from './lib/ere-patterns.js';
import { logBlock } from './lib/log-block.js';
import type { BenchResult } from './lib/results.js';
import { runProcess } from './lib/run-process.js';
import { median, round } from './lib/stats.js';

export interface LogsBenchOptions {
  readonly env: BenchEnv;
  /** At least this many bytes of log lines (the service's own output, before Docker's framing). */
  readonly bytes: number;
  /** How to start bench/logs-child (compiled when there is a build). */
  readonly child: {
    readonly command: string;
    readonly args: readonly string[];
    readonly runtime: string;
  };
  readonly workDir: string;
  /**
   * Rounds of the bot beside its floor (the raw Engine stream), read one right after the other,
   * who goes first alternating (default 3). CLI+grep runs in the first round only.
   */
  readonly rounds?: number;
}

const NAME = 'logs vs CLI + grep';
const TARGET = '≥ CLI+grep bytes/s; RSS < 150 MB';
const GREP_NAME = 'grep: hostile vs plain pattern';
const GREP_TARGET = '≥ 0.5× the plain pattern';
const LOOP_NAME = 'event loop, hostile grep';
const LOOP_TARGET = 'p99 ≤ 50 ms';
const RAW_NAME = 'logs vs the raw Engine stream';
const RAW_TARGET = '≥ 0.9× the raw stream; RSS < 150 MB';
/** What an on-call engineer greps for. */
const PLAIN = 'ECONNREFUSED';
/** Backtracks exponentially in V8 on every line without `zq`: a one-shot run burned 40 s on it. */
const HOSTILE = '(.|.)+zq';
const IMAGE = 'tas-fixture:1';
const SERVICE = 'biglog';
const BLOCK_LINES = 360; // ~100 KB: an env value may hold 128 KiB
const DOUBLINGS = 4; // the container doubles the block 4 times: 1.6 MB per `cat`
const MARKER = '{"level":30,"msg":"bench log complete"}';
const DEFAULT_ROUNDS = 3;
/** The Engine's frame header before each log line of a non-TTY service. */
const FRAME_HEADER_BYTES = 8;

// BusyBox sh in the fixture image. The block arrives in the environment; the loop writes it
// BENCH_REPS times as fast as the json-file driver takes it, then the service idles.
const SCRIPT = `trap 'exit 0' TERM
printf '%s\\n' "$BENCH_BLOCK" > /tmp/b
i=0; while [ "$i" -lt ${DOUBLINGS} ]; do cat /tmp/b /tmp/b > /tmp/b2; mv /tmp/b2 /tmp/b; i=$((i + 1)); done
i=0; while [ "$i" -lt "$BENCH_REPS" ]; do cat /tmp/b; i=$((i + 1)); done
echo '${MARKER}'
while :; do sleep 1 & wait $!; done`;

const CLI_PIPELINE = `"${DOCKER_CLI}" -H "$DOCKER_HOST" service logs "$1" 2>&1 | grep -iE -- "$BENCH_PATTERN" | wc -l`;

interface BotRun {
  ms: number;
  maxRSSKB: number;
  rssBeforeKB: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopDelayMs?: { p50: number; p99: number; max: number; samples: number };
  title: string;
  error?: unknown;
  linesScanned?: number;
  bytesScanned?: number;
  matchedLines?: number;
  truncated?: unknown;
}

/**
 * Benchmark 2: a service of a fresh stack writes ≥ `bytes` of pino lines (host network, the
 * fixture image, the json-file driver); once `docker service logs` shows the last line,
 * `/tas logs biglog --since 1d` (the whole log through the real pipeline, in a child process
 * so its peak RSS is the bot's own) runs against `docker service logs | grep -iE '<the runbook
 * patterns>'`. Throughput = the log's bytes / wall time, for both. Then, on the same log,
 * `--grep ECONNREFUSED` against `--grep '(.|.)+zq'`: throughput per CPU second of each, and the
 * event-loop delay while the hostile one runs. The service is removed.
 */
export async function benchLogs(options: LogsBenchOptions): Promise<BenchResult[]> {
  const { env } = options;
  const docker = createDockerClient({ host: env.dockerHost, timeoutMs: 60_000 });
  const stack = `bench${randomBytes(4).toString('hex')}`;
  const fullName = `${stack}_${SERVICE}`;
  const block = logBlock(BLOCK_LINES);
  const perCat = (Buffer.byteLength(block) + 1) * 2 ** DOUBLINGS;
  const reps = Math.ceil(options.bytes / perCat);
  const logBytes = reps * perCat + MARKER.length + 1;
  const logLines = reps * BLOCK_LINES * 2 ** DOUBLINGS + 1;
  const pattern = runbookEre();
  const check = await checkTranslation(block, pattern, options.workDir);
  const expectedGrepLines = check.grepMatches * reps * 2 ** DOUBLINGS;

  const generation = performance.now();
  const service = await docker.createService({
    Name: fullName,
    Labels: { 'com.docker.stack.namespace': stack },
    TaskTemplate: {
      ContainerSpec: {
        Image: IMAGE,
        Args: ['sh', '-c', SCRIPT],
        Env: [`BENCH_BLOCK=${block}`, `BENCH_REPS=${reps}`],
      },
      RestartPolicy: { Condition: 'none' },
      Networks: [{ Target: 'host' }],
      LogDriver: { Name: 'json-file' },
    },
    Mode: { Replicated: { Replicas: 1 } },
  });
  const cli: { ms: number; lines: number }[] = [];
  const raw: { ms: number; bytes: number }[] = [];
  const bots: BotRun[] = [];
  const greps: { plain?: BotRun; hostile?: BotRun } = {};
  let generationMs = 0;
  try {
    await waitForMarker(docker, service.id, 15 * 60_000);
    generationMs = performance.now() - generation;
    for (let round = 0; round < (options.rounds ?? DEFAULT_ROUNDS); round += 1) {
      if (round === 0) cli.push(await runCliGrep(env, fullName, pattern));
      // The bot and its floor side by side, so a change in the machine's load between rounds
      // touches both; their ratio is taken per round.
      const runBot = async () => bots.push(await runBotChild(options, env, stack));
      const runRaw = async () => raw.push(await readRawStream(env, service.id));
      if (round % 2 === 0) {
        await runBot();
        await runRaw();
      } else {
        await runRaw();
        await runBot();
      }
    }
    greps.plain = await runBotChild(options, env, stack, PLAIN);
    greps.hostile = await runBotChild(options, env, stack, HOSTILE);
  } finally {
    await removeService(docker, service.id, fullName);
  }

  const plainMatches =
    block.split('\n').filter((line) => line.toLowerCase().includes(PLAIN.toLowerCase())).length *
    reps *
    2 ** DOUBLINGS;
  const log = { logBytes, logLines, generationMs, expectedGrepLines, check };
  return [
    ...logsRows(options, log, { cli, bots, raw }),
    ...grepResults(greps, { logBytes, logLines, plainMatches }),
  ];
}

interface LogFacts {
  readonly logBytes: number;
  readonly logLines: number;
  readonly generationMs: number;
  readonly expectedGrepLines: number;
  readonly check: Awaited<ReturnType<typeof checkTranslation>>;
}

interface LogsRuns {
  readonly cli: readonly { ms: number; lines: number }[];
  readonly bots: readonly BotRun[];
  readonly raw: readonly { ms: number; bytes: number }[];
}

const mb = (bytes: number) => bytes / 1e6;
const best = <T>(runs: readonly T[], ms: (r: T) => number) =>
  [...runs].sort((a, b) => ms(a) - ms(b))[0]!;

/** The bot against CLI + grep, and against the raw Engine stream (its floor). */
function logsRows(options: LogsBenchOptions, log: LogFacts, runs: LogsRuns): BenchResult[] {
  const { logBytes, logLines, generationMs, expectedGrepLines, check } = log;
  const { cli, bots } = runs;
  const cliBest = best(cli, (r) => r.ms);
  const botBest = best(bots, (r) => r.ms);
  const cliRate = mb(logBytes) / (cliBest.ms / 1000);
  const botRate = mb(logBytes) / (botBest.ms / 1000);
  const peakMB = Math.max(...bots.map((b) => b.maxRSSKB)) / 1024;
  const ratio = botRate / cliRate;
  const complete = bots.every(
    (b) => b.linesScanned === logLines && b.truncated === undefined && b.error === undefined,
  );
  const notes: string[] = [];
  if (!complete)
    notes.push(
      `the bot did not scan the whole log: ${JSON.stringify(bots.map((b) => ({ lines: b.linesScanned, truncated: b.truncated, error: b.error, title: b.title })))}`,
    );
  if (cli.some((c) => c.lines !== expectedGrepLines))
    notes.push(
      `grep printed ${cli.map((c) => c.lines).join(', ')} lines, ${expectedGrepLines} expected: the CLI lost lines`,
    );
  const cpuShare = (botBest.cpuUserMs + botBest.cpuSystemMs) / botBest.ms;
  if (ratio < 1)
    notes.push(
      `the bot's process was busy ${Math.round(cpuShare * 100)}% of its wall time: ` +
        (cpuShare < 0.8
          ? 'it mostly waited for the daemon, which streams a swarm service log through its log broker at a few MB/s; reading /containers/{id}/logs for tasks on the local node is faster, and dropping timestamps=1 (pino lines carry their own time) saves the daemon formatting work'
          : 'the pipeline is CPU-bound here; profile it with --profile'),
    );
  const rssBeforeMB = botBest.rssBeforeKB / 1024;
  if (peakMB >= 150)
    notes.push(
      `of the peak RSS ${round(peakMB)} MB, ${round(rssBeforeMB)} MB were there before the dispatch (Node and the modules the composition root loads; ` +
        'chat adapters, Redis/BullMQ and the AWS SDK load only when configured); ' +
        `the whole-log read added ${round(peakMB - rssBeforeMB)} MB`,
    );
  if (!check.agrees)
    notes.push(
      `the ERE translation disagrees with the JS patterns on the block (${check.jsMatches} vs ${check.grepMatches} lines): grep's count is not the bot's`,
    );
  const main: BenchResult = {
    name: NAME,
    bot: `${round(botRate)} MB/s, peak RSS ${round(peakMB)} MB`,
    baseline: `${round(cliRate)} MB/s`,
    measure: `${round(ratio, 2)}× the CLI's throughput`,
    target: TARGET,
    met: complete && ratio >= 1 && peakMB < 150,
    data: {
      logBytes,
      logLines,
      logMB: round(mb(logBytes)),
      generationMs: round(generationMs),
      rounds: options.rounds ?? DEFAULT_ROUNDS,
      botRuntime: options.child.runtime,
      bot: bots.map((b) => ({
        ...b,
        ms: round(b.ms),
        MBps: round(mb(logBytes) / (b.ms / 1000), 2),
        peakRssMB: round(b.maxRSSKB / 1024),
        rssBeforeDispatchMB: round(b.rssBeforeKB / 1024),
      })),
      cliGrep: cli.map((c) => ({
        ms: round(c.ms),
        MBps: round(mb(logBytes) / (c.ms / 1000), 2),
        grepLines: c.lines,
      })),
      expectedGrepLines,
      throughputRatio: round(ratio, 3),
      botPeakRssMB: round(peakMB),
      patternCheck: check,
    },
    notes,
  };
  return [main, rawStreamRow(runs, { logBytes, peakMB, complete })];
}

/**
 * The physical floor of a logs read: the bot's own Engine request, read to nowhere. Each round's
 * bot run is set against the raw read beside it; the median of those ratios is the measure.
 */
function rawStreamRow(
  runs: Pick<LogsRuns, 'bots' | 'raw'>,
  bot: { logBytes: number; peakMB: number; complete: boolean },
): BenchResult {
  const { logBytes, peakMB, complete } = bot;
  const perRound = runs.raw.map((raw, index) => {
    const run = runs.bots[index];
    const botBytes =
      run === undefined
        ? undefined
        : (run.bytesScanned ?? 0) + FRAME_HEADER_BYTES * (run.linesScanned ?? 0);
    return {
      rawMs: round(raw.ms),
      botMs: round(run?.ms ?? Number.NaN),
      ratio: round(raw.ms / (run?.ms ?? Number.NaN), 3),
      rawWireBytes: raw.bytes,
      botWireBytes: botBytes,
    };
  });
  const ratio = median(perRound.map((r) => r.ratio));
  const rawRate = mb(logBytes) / (median(runs.raw.map((r) => r.ms)) / 1000);
  const botRate = mb(logBytes) / (median(runs.bots.map((r) => r.ms)) / 1000);
  const notes = [
    "the floor: the bot's own request (GET /services/{id}/logs, stdout, stderr, timestamps, details, since 1 d) read by curl to /dev/null, right before or after the bot in each round; the measure is the median over rounds of raw time ÷ bot time",
  ];
  const differ = perRound.filter((r) => r.botWireBytes !== r.rawWireBytes);
  if (differ.length > 0)
    notes.push(`the bot and the raw stream did not read the same bytes: ${JSON.stringify(differ)}`);
  return {
    name: RAW_NAME,
    bot: `${round(botRate)} MB/s (median), peak RSS ${round(peakMB)} MB`,
    baseline: `${round(rawRate)} MB/s (median; ${round(mb(runs.raw[0]?.bytes ?? 0))} MB on the wire)`,
    measure: `${round(ratio, 2)}× the raw stream (median of ${perRound.length} rounds)`,
    target: RAW_TARGET,
    met: complete && differ.length === 0 && ratio >= 0.9 && peakMB < 150,
    data: { rounds: perRound, throughputRatio: round(ratio, 3), botPeakRssMB: round(peakMB) },
    notes,
  };
}

/**
 * The physical floor of a logs read: the same Engine request the bot makes, read to nowhere by
 * curl. Nothing that reads this log through the Engine can be faster.
 */
async function readRawStream(
  env: BenchEnv,
  serviceId: string,
): Promise<{ ms: number; bytes: number }> {
  const since = Math.floor(Date.now() / 1000) - 86_400;
  const url = `http://localhost/v1.41/services/${serviceId}/logs?stdout=1&stderr=1&timestamps=1&details=1&since=${since}`;
  const run = await runProcess(
    'curl',
    [
      '-sS',
      '--unix-socket',
      env.dockerSocket,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{size_download}',
      url,
    ],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 15 * 60_000 },
  );
  const [status, size] = run.stdout.trim().split(' ');
  if (run.code !== 0 || status !== '200')
    throw new Error(
      `curl of the raw log stream: exit ${String(run.code)}, HTTP ${String(status)}: ${run.stderr.slice(0, 400)}`,
    );
  return { ms: run.ms, bytes: Number(size) };
}

/**
 * The grep rows: a hostile pattern's throughput against a plain one's, per CPU second of the bot
 * (through the daemon both wait on the same few MB/s, which would hide the pattern's cost), and
 * the event-loop delay while the hostile one scans the whole log.
 */
function grepResults(
  runs: { plain?: BotRun; hostile?: BotRun },
  log: { logBytes: number; logLines: number; plainMatches: number },
): BenchResult[] {
  const { plain, hostile } = runs;
  if (plain === undefined || hostile === undefined) throw new Error('the grep runs did not run');
  const cpuSeconds = (run: BotRun) => (run.cpuUserMs + run.cpuSystemMs) / 1000;
  const perCpu = (run: BotRun) => log.logBytes / 1e6 / cpuSeconds(run);
  const perWall = (run: BotRun) => log.logBytes / 1e6 / (run.ms / 1000);
  const ratio = perCpu(hostile) / perCpu(plain);
  const notes: string[] = [];
  const whole = (run: BotRun) =>
    run.linesScanned === log.logLines && run.truncated === undefined && run.error === undefined;
  const right = plain.matchedLines === log.plainMatches && hostile.matchedLines === 0;
  if (!whole(plain) || !whole(hostile))
    notes.push(
      `a grep run did not scan the whole log: ${JSON.stringify([plain, hostile].map((r) => ({ lines: r.linesScanned, truncated: r.truncated, error: r.error, title: r.title })))}`,
    );
  if (!right)
    notes.push(
      `matched lines: ${PLAIN} ${String(plain.matchedLines)} (expected ${log.plainMatches}), ${HOSTILE} ${String(hostile.matchedLines)} (expected 0)`,
    );
  const data = (run: BotRun) => ({
    ms: round(run.ms),
    cpuMs: round(run.cpuUserMs + run.cpuSystemMs),
    MBpsWall: round(perWall(run), 2),
    MBpsPerCpuSecond: round(perCpu(run), 2),
    matchedLines: run.matchedLines,
    linesScanned: run.linesScanned,
    peakRssMB: round(run.maxRSSKB / 1024),
    eventLoopDelayMs: run.eventLoopDelayMs,
  });
  const loop = hostile.eventLoopDelayMs;
  const p99 = loop?.p99 ?? Number.POSITIVE_INFINITY;
  return [
    {
      name: GREP_NAME,
      bot: `${HOSTILE}: ${round(perCpu(hostile))} MB/CPU-s (${round(perWall(hostile))} MB/s wall)`,
      baseline: `${PLAIN}: ${round(perCpu(plain))} MB/CPU-s (${round(perWall(plain))} MB/s wall)`,
      measure: `${round(ratio, 2)}× the plain pattern's throughput per CPU second`,
      target: GREP_TARGET,
      met: whole(plain) && whole(hostile) && right && ratio >= 0.5,
      data: { hostile: data(hostile), plain: data(plain), throughputRatio: round(ratio, 3) },
      notes,
    },
    {
      name: LOOP_NAME,
      bot: `p99 ${loop?.p99 ?? '—'} ms, max ${loop?.max ?? '—'} ms (${HOSTILE})`,
      baseline: `p99 ${plain.eventLoopDelayMs?.p99 ?? '—'} ms (${PLAIN})`,
      measure: `p99 ${loop?.p99 ?? '—'} ms over ${loop?.samples ?? 0} ticks of 10 ms`,
      target: LOOP_TARGET,
      met: whole(hostile) && p99 <= 50,
      data: { hostile: loop, plain: plain.eventLoopDelayMs },
      notes: [
        'the delay is the whole interval between two 10 ms timer ticks (monitorEventLoopDelay), so 10 ms is the floor',
      ],
    },
  ];
}

/** grep -ciE with the translated patterns against the JS patterns, on the block's lines. */
async function checkTranslation(block: string, pattern: string, workDir: string) {
  const file = `${workDir}/log-block.txt`;
  await writeFile(file, `${block}\n`);
  const lines = block.split('\n');
  const jsMatches = lines.filter((line) =>
    RUNBOOK_LOG_PATTERNS.some((p) => p.regex.test(line)),
  ).length;
  const run = await runProcess(
    'bash',
    ['-c', 'grep -ciE -- "$BENCH_PATTERN" "$1"; true', 'bench', file],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BENCH_PATTERN: pattern } },
  );
  const grepMatches = Number(run.stdout.trim());
  return { blockLines: lines.length, jsMatches, grepMatches, agrees: jsMatches === grepMatches };
}

async function waitForMarker(docker: Docker, id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tail = (await docker
      .getService(id)
      .logs({ stdout: true, stderr: true, tail: 1, follow: false })) as unknown as Buffer;
    if (Buffer.from(tail).toString('utf8').includes(MARKER)) return;
    const tasks = (await docker.listTasks({ filters: { service: [id] } })) as {
      Status?: { State?: string; Err?: string };
    }[];
    const failed = tasks.find(
      (t) => t.Status?.State === 'failed' || t.Status?.State === 'rejected',
    );
    if (failed !== undefined)
      throw new Error(`the log writer failed: ${failed.Status?.Err ?? failed.Status?.State ?? ''}`);
    if (Date.now() > deadline)
      throw new Error(`the log writer did not finish within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function runCliGrep(
  env: BenchEnv,
  fullName: string,
  pattern: string,
): Promise<{ ms: number; lines: number }> {
  const run = await runProcess('bash', ['-c', CLI_PIPELINE, 'bench', fullName], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      DOCKER_HOST: env.dockerHost,
      BENCH_PATTERN: pattern,
    },
    timeoutMs: 15 * 60_000,
  });
  const lines = Number(run.stdout.trim());
  if (run.code !== 0 || !Number.isFinite(lines))
    throw new Error(
      `docker service logs | grep exited ${String(run.code)}: ${run.stderr.slice(0, 400)}`,
    );
  return { ms: run.ms, lines };
}

async function runBotChild(
  options: LogsBenchOptions,
  env: BenchEnv,
  stack: string,
  grep?: string,
): Promise<BotRun> {
  const input = JSON.stringify({
    dockerHost: env.dockerHost,
    stack,
    service: SERVICE,
    maxBytes: 2 * 1024 * 1024 * 1024,
    ...(grep !== undefined && { grep }),
  });
  const run = await runProcess(options.child.command, [...options.child.args, input], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    timeoutMs: 15 * 60_000,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code !== 0 || !last.startsWith('{'))
    throw new Error(`logs-child exited ${String(run.code)}: ${run.stderr.slice(0, 800)}`);
  return JSON.parse(last) as BotRun;
}

/** Removes the service and waits until its container is gone (it holds the log file). */
async function removeService(docker: Docker, id: string, fullName: string): Promise<void> {
  await docker
    .getService(id)
    .remove()
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.swarm.service.name=${fullName}`] },
    });
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the container of ${fullName} is still there 60 s after the service was removed`);
}
