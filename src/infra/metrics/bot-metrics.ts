import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../../core/ports/logger.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { ProbeResult } from '../../core/ports/prober.js';

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

const ACK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const COMMAND_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.1, 1, 5, 15, 30, 60, 120, 300, 600];

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * One registry per process (never prom-client's global one, so tests and two cores in one
 * process do not collide). Series are named `tas_*`; label values are bounded by the config.
 */
export function createBotMetrics(options: BotMetricsOptions): BotMetrics {
  const registry = new Registry();
  const registers = [registry];
  const redact = options.redact ?? ((text: string) => text);
  const timeoutMs = options.sourceTimeoutMs ?? 2000;
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  let sources: MetricSources = {};

  /** Runs a source for a scrape; a failure leaves the series empty rather than stale. */
  async function read<T>(
    name: string,
    source: (() => Promise<T>) | undefined,
  ): Promise<T | undefined> {
    if (source === undefined) return undefined;
    try {
      return await withDeadline(source(), timeoutMs);
    } catch (error) {
      options.log.debug({ err: error, source: name }, 'metric source unavailable');
      return undefined;
    }
  }

  const commands = new Counter({
    name: 'tas_commands_total',
    help: 'Commands answered, by command and outcome.',
    labelNames: ['command', 'outcome'],
    registers,
  });
  const commandSeconds = new Histogram({
    name: 'tas_command_duration_seconds',
    help: 'Time from dispatch to reply, by command.',
    labelNames: ['command'],
    buckets: COMMAND_BUCKETS,
    registers,
  });
  const ack = new Histogram({
    name: 'tas_ack_latency_seconds',
    help: 'Time from receiving a chat event to acknowledging it, by platform.',
    labelNames: ['platform'],
    buckets: ACK_BUCKETS,
    registers,
  });
  const jobs = new Histogram({
    name: 'tas_job_duration_seconds',
    help: 'Operation job run time, by job name and outcome.',
    labelNames: ['job', 'outcome'],
    buckets: JOB_BUCKETS,
    registers,
  });
  const probeChecks = new Counter({
    name: 'tas_probe_checks_total',
    help: 'Probe results, by probe, target and outcome.',
    labelNames: ['probe', 'target', 'outcome'],
    registers,
  });
  const probeUp = new Gauge({
    name: 'tas_probe_up',
    help: '1 if the last check of the probe passed, else 0.',
    labelNames: ['probe', 'target'],
    registers,
  });
  const probeLatency = new Gauge({
    name: 'tas_probe_latency_seconds',
    help: 'Latency of the last check of the probe.',
    labelNames: ['probe', 'target'],
    registers,
  });
  const queueJobs: Gauge = new Gauge({
    name: 'tas_queue_jobs',
    help: 'Jobs per queue and state (read from Redis at scrape time).',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const depth = await read('queueDepth', sources.queueDepth);
      queueJobs.reset();
      for (const row of depth ?? [])
        queueJobs.set({ queue: row.queue, state: row.state }, row.count);
    },
  });
  const pending: Gauge = new Gauge({
    name: 'tas_pending_approvals',
    help: 'Privileged requests waiting for approval, per environment (read from Redis at scrape time).',
    labelNames: ['environment'],
    registers,
    async collect() {
      const count = await read('pendingApprovals', sources.pendingApprovals);
      pending.reset();
      for (const row of count ?? []) pending.set({ environment: row.environment }, row.count);
    },
  });

  return {
    commandAnswered(command, outcome, seconds) {
      commands.inc({ command, outcome });
      commandSeconds.observe({ command }, seconds);
    },
    observeAck(platform, seconds) {
      ack.observe({ platform }, seconds);
    },
    jobFinished(job, outcome, seconds) {
      jobs.observe({ job, outcome }, seconds);
    },
    probeResult(result) {
      const labels = { probe: result.name, target: redact(result.target) };
      probeChecks.inc({ ...labels, outcome: result.outcome });
      probeUp.set(labels, result.outcome === 'ok' ? 1 : 0);
      probeLatency.set(labels, result.latencyMs / 1000);
    },
    collectFrom(more) {
      sources = { ...sources, ...more };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
