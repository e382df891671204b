import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../../core/ports/logger.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { ProbeResult } from '../../core/ports/prober.js';
import { within } from '../../lib/within.js';
import { botMetricSeries, scrapedGauge } from './bot-metric-series.js';

/** How a job's processor ended: `error` is retried with backoff, `permanent` is not. */
export type JobOutcome = 'ok' | 'error' | 'permanent';

/** Jobs in one state of one queue, read at scrape time. */
export interface QueueDepth {
  readonly queue: string;
  readonly state: string;
  readonly count: number;
}

/** Values read from Redis when Prometheus scrapes, not kept in the process. */
export interface MetricSources {
  readonly queueDepth?: () => Promise<readonly QueueDepth[]>;
  /** Requests waiting for approval, per environment (every configured one, zeros included). */
  readonly pendingApprovals?: () => Promise<
    readonly { readonly environment: string; readonly count: number }[]
  >;
}

/** The Prometheus side of the bot: the core's Metrics port plus what infra reports. */
export interface BotMetrics extends Metrics {
  jobFinished(job: string, outcome: JobOutcome, seconds: number): void;
  probeResult(result: ProbeResult): void;
  /** Adds scrape-time sources (a later call for the same source replaces it). */
  collectFrom(sources: MetricSources): void;
  /** The exposition text and its content type, for `GET /metrics`. */
  render(): Promise<{ readonly contentType: string; readonly body: string }>;
}

export interface BotMetricsOptions {
  readonly log: Logger;
  /** Applied to probe targets before they become labels (a URL may carry a token). */
  readonly redact?: (text: string) => string;
  /** Node process metrics (`process_*`, `nodejs_*`); on by default. */
  readonly defaultMetrics?: boolean;
  /** A source that does not answer within this long leaves its series empty for that scrape. */
  readonly sourceTimeoutMs?: number;
}

/**
 * One registry per process (never prom-client's global one, so tests and two cores in one
 * process do not collide). Series are named `tas_*`; label values are bounded by the config.
 */
export function createBotMetrics(options: BotMetricsOptions): BotMetrics {
  const registry = new Registry();
  const redact = options.redact ?? ((text: string) => text);
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  let sources: MetricSources = {};
  const read = sourceReader(options);
  const series = botMetricSeries(registry);
  scrapedGauge(
    registry,
    {
      name: 'tas_queue_jobs',
      help: 'Jobs per queue and state (read from Redis at scrape time).',
      labelNames: ['queue', 'state'],
    },
    async () =>
      (await read('queueDepth', sources.queueDepth))?.map((row) => ({
        labels: { queue: row.queue, state: row.state },
        value: row.count,
      })),
  );
  scrapedGauge(
    registry,
    {
      name: 'tas_pending_approvals',
      help: 'Privileged requests waiting for approval, per environment (read from Redis at scrape time).',
      labelNames: ['environment'],
    },
    async () =>
      (await read('pendingApprovals', sources.pendingApprovals))?.map((row) => ({
        labels: { environment: row.environment },
        value: row.count,
      })),
  );
  return {
    commandAnswered(command, outcome, seconds) {
      series.commands.inc({ command, outcome });
      series.commandSeconds.observe({ command }, seconds);
    },
    observeAck(platform, seconds) {
      series.ack.observe({ platform }, seconds);
    },
    jobFinished(job, outcome, seconds) {
      series.jobs.observe({ job, outcome }, seconds);
    },
    probeResult(result) {
      const labels = { probe: result.name, target: redact(result.target) };
      series.probeChecks.inc({ ...labels, outcome: result.outcome });
      series.probeUp.set(labels, result.outcome === 'ok' ? 1 : 0);
      series.probeLatency.set(labels, result.latencyMs / 1000);
    },
    collectFrom(more) {
      sources = { ...sources, ...more };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** Runs a source for a scrape, within the timeout; a failure gives undefined (an empty series). */
function sourceReader(options: BotMetricsOptions) {
  const timeoutMs = options.sourceTimeoutMs ?? 2000;
  return async <T>(
    name: string,
    source: (() => Promise<T>) | undefined,
  ): Promise<T | undefined> => {
    if (source === undefined) return undefined;
    try {
      return await within(source(), timeoutMs);
    } catch (error) {
      options.log.debug({ err: error, source: name }, 'metric source unavailable');
      return undefined;
    }
  };
}
