// The bot's side of the logs benchmark in a process of its own, so its peak RSS is the bot's
// alone: builds the core, dispatches `/tas logs <service> --since 1d` once, prints one JSON line.
// Usage: node logs-child.js '{"dockerHost":"unix://…","stack":"…","service":"…","maxBytes":…}'
import type { LogExcerpt } from '../src/diagnostics/logs/log-excerpt.js';
import { benchConfigText } from './lib/bench-config.js';
import { startBenchCore } from './lib/bench-core.js';

const input = JSON.parse(process.argv[2] ?? '{}') as {
  dockerHost: string;
  stack: string;
  service: string;
  maxBytes: number;
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
const rssBeforeKB = process.resourceUsage().maxRSS;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const reply = await bot.say('alice', `/tas logs ${input.service} --since 1d`);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await bot.close();
const excerpt = reply.data as (LogExcerpt & { error?: unknown }) | undefined;
process.stdout.write(
  `${JSON.stringify({
    ms,
    maxRSSKB: process.resourceUsage().maxRSS,
    rssBeforeKB,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
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
