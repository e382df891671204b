// The bot's side of the logs benchmark in a process of its own, so its peak RSS is the bot's
// alone: builds the core, dispatches `/tas logs <service> --since 1d [--grep …]` once, prints one
// JSON line, with the event-loop delay seen while the command ran.
// Usage: node logs-child.js '{"dockerHost":"unix://…","stack":"…","service":"…","maxBytes":…,"grep":"…"}'
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LogExcerpt } from '../src/diagnostics/logs/log-excerpt.js';
import { benchConfigText } from './lib/bench-config.js';
import { startBenchCore } from './lib/bench-core.js';

const input = JSON.parse(process.argv[2] ?? '{}') as {
  dockerHost: string;
  stack: string;
  service: string;
  maxBytes: number;
  grep?: string;
};
const bot = await startBenchCore(
  benchConfigText({
    dockerHost: input.dockerHost,
    stack: input.stack,
    services: [input.service],
    probes: [],
    logMaxBytes: input.maxBytes,
    logMaxSeconds: 900,
  }),
);
// The command line unescapes backslashes once, as a chat user's text is read.
const grep =
  input.grep === undefined
    ? ''
    : ` --grep "${input.grep.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
// Every 10 ms a timer asks how late it is: what another user's ack would wait while this runs.
// The histogram holds the whole interval between two ticks, so 10 ms is the floor.
const loop = monitorEventLoopDelay({ resolution: 10 });
const rssBeforeKB = process.resourceUsage().maxRSS;
const cpuBefore = process.cpuUsage();
const started = performance.now();
loop.enable();
const reply = await bot.say('alice', `/tas logs ${input.service} --since 1d${grep}`);
loop.disable();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await bot.close();
const excerpt = reply.data as (LogExcerpt & { error?: unknown }) | undefined;
const msOf = (ns: number) => Math.round(ns / 1e4) / 100;
process.stdout.write(
  `${JSON.stringify({
    ms,
    maxRSSKB: process.resourceUsage().maxRSS,
    rssBeforeKB,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    eventLoopDelayMs: {
      p50: msOf(loop.percentile(50)),
      p99: msOf(loop.percentile(99)),
      max: msOf(loop.max),
      samples: loop.count,
    },
    title: reply.title,
    error: excerpt?.error,
    linesScanned: excerpt?.linesScanned,
    bytesScanned: excerpt?.bytesScanned,
    matchedLines: excerpt?.matchedLines,
    groups: excerpt?.groups?.length,
    truncated: excerpt?.truncated,
    patternCounts: excerpt?.patternCounts,
  })}\n`,
);
