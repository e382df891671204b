import { describe, expect, it } from 'vitest';
import { PermanentJobError } from '../../../../src/core/errors.js';
import type { ProbeSpec } from '../../../../src/core/ports/prober.js';
import { createBotMetrics } from '../../../../src/infra/metrics/bot-metrics.js';
import { instrumentProber } from '../../../../src/infra/metrics/instrument-prober.js';
import { timeJob } from '../../../../src/infra/metrics/time-job.js';
import { captureLogger } from '../../../fakes/capture-logger.js';
import { samples, valueOf } from './exposition.js';

const metricsFor = () =>
  createBotMetrics({ log: captureLogger().log, defaultMetrics: false, sourceTimeoutMs: 100 });

describe('createBotMetrics', () => {
  it('counts commands by name and outcome and times them', async () => {
    const metrics = metricsFor();
    metrics.commandAnswered('status', 'ok', 0.2);
    metrics.commandAnswered('status', 'ok', 0.3);
    metrics.commandAnswered('restart', 'refused', 0.01);
    const { body } = await metrics.render();
    expect(valueOf(body, 'tas_commands_total', { command: 'status', outcome: 'ok' })).toBe(2);
    expect(valueOf(body, 'tas_commands_total', { command: 'restart', outcome: 'refused' })).toBe(1);
    expect(valueOf(body, 'tas_command_duration_seconds_sum', { command: 'status' })).toBeCloseTo(
      0.5,
    );
  });

  it('keeps an acknowledgement latency histogram per platform with the 3-second deadline as a bucket', async () => {
    const metrics = metricsFor();
    metrics.observeAck('slack', 0.4);
    metrics.observeAck('slack', 3.5);
    const { body } = await metrics.render();
    expect(valueOf(body, 'tas_ack_latency_seconds_bucket', { platform: 'slack', le: '3' })).toBe(1);
    expect(valueOf(body, 'tas_ack_latency_seconds_count', { platform: 'slack' })).toBe(2);
  });

  it('records job durations by job and outcome', async () => {
    const metrics = metricsFor();
    metrics.jobFinished('execute', 'ok', 12);
    metrics.jobFinished('execute', 'permanent', 1);
    const { body } = await metrics.render();
    expect(valueOf(body, 'tas_job_duration_seconds_count', { job: 'execute', outcome: 'ok' })).toBe(
      1,
    );
    expect(valueOf(body, 'tas_job_duration_seconds_sum', { job: 'execute', outcome: 'ok' })).toBe(
      12,
    );
    expect(
      valueOf(body, 'tas_job_duration_seconds_count', { job: 'execute', outcome: 'permanent' }),
    ).toBe(1);
  });

  it('reports probe results by probe and target, with the target redacted', async () => {
    const metrics = createBotMetrics({
      log: captureLogger().log,
      defaultMetrics: false,
      redact: (t) => t.replace('s3cret', '[redacted]'),
    });
    metrics.probeResult({
      name: 'readiness',
      target: 'http://tas/api/status/readiness?key=s3cret',
      outcome: 'fail',
      latencyMs: 250,
      status: 503,
      detail: '503',
    });
    metrics.probeResult({
      name: 'readiness',
      target: 'http://tas/api/status/readiness?key=s3cret',
      outcome: 'ok',
      latencyMs: 40,
      status: 200,
      detail: '200',
    });
    const { body } = await metrics.render();
    const target = 'http://tas/api/status/readiness?key=[redacted]';
    expect(body).not.toContain('s3cret');
    expect(valueOf(body, 'tas_probe_up', { probe: 'readiness', target })).toBe(1);
    expect(valueOf(body, 'tas_probe_latency_seconds', { probe: 'readiness', target })).toBe(0.04);
    expect(
      valueOf(body, 'tas_probe_checks_total', { probe: 'readiness', target, outcome: 'fail' }),
    ).toBe(1);
    expect(
      valueOf(body, 'tas_probe_checks_total', { probe: 'readiness', target, outcome: 'ok' }),
    ).toBe(1);
  });

  it('reads queue depth and pending approvals from their sources at each scrape', async () => {
    const metrics = metricsFor();
    let pending = 2;
    metrics.collectFrom({
      queueDepth: () => Promise.resolve([{ queue: 'tas-operations', state: 'waiting', count: 3 }]),
      pendingApprovals: () => Promise.resolve([{ environment: 'prod', count: pending }]),
    });
    expect(
      valueOf((await metrics.render()).body, 'tas_pending_approvals', { environment: 'prod' }),
    ).toBe(2);
    pending = 0;
    const { body } = await metrics.render();
    expect(valueOf(body, 'tas_pending_approvals', { environment: 'prod' })).toBe(0);
    expect(valueOf(body, 'tas_queue_jobs', { queue: 'tas-operations', state: 'waiting' })).toBe(3);
  });

  it('leaves a series empty, not stale, when its source fails or hangs, renders the rest, and fills it again once the source answers', async () => {
    const metrics = createBotMetrics({
      log: captureLogger().log,
      defaultMetrics: false,
      sourceTimeoutMs: 50,
    });
    let failing = false;
    metrics.collectFrom({
      queueDepth: () =>
        failing
          ? Promise.reject(new Error('Connection is closed.'))
          : Promise.resolve([{ queue: 'q', state: 'waiting', count: 1 }]),
      pendingApprovals: () =>
        failing
          ? new Promise<never>(() => undefined)
          : Promise.resolve([{ environment: 'prod', count: 4 }]),
    });
    expect(
      valueOf((await metrics.render()).body, 'tas_pending_approvals', { environment: 'prod' }),
    ).toBe(4);
    failing = true;
    metrics.commandAnswered('help', 'ok', 0);
    const { body } = await metrics.render();
    expect(
      samples(body).filter(
        (s) => s.name === 'tas_queue_jobs' || s.name === 'tas_pending_approvals',
      ),
    ).toEqual([]);
    expect(valueOf(body, 'tas_commands_total', { command: 'help', outcome: 'ok' })).toBe(1);
    failing = false;
    expect(
      valueOf((await metrics.render()).body, 'tas_queue_jobs', { queue: 'q', state: 'waiting' }),
    ).toBe(1);
  });

  it('includes the Node process metrics by default', async () => {
    const metrics = createBotMetrics({ log: captureLogger().log });
    const { body, contentType } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(samples(body).some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
  });
});

describe('timeJob', () => {
  it('records the outcome of each run and passes results and errors through', async () => {
    const metrics = metricsFor();
    let clock = 0;
    const now = () => clock;
    const ok = timeJob(
      metrics,
      'execute',
      (id: string) => {
        clock += 1500;
        return Promise.resolve(`done ${id}`);
      },
      now,
    );
    const retried = timeJob(metrics, 'execute', () => Promise.reject(new Error('ECONNRESET')), now);
    const permanent = timeJob(
      metrics,
      'expire',
      () => Promise.reject(new PermanentJobError('service is gone')),
      now,
    );
    await expect(ok('r1')).resolves.toBe('done r1');
    await expect(retried()).rejects.toThrow('ECONNRESET');
    await expect(permanent()).rejects.toBeInstanceOf(PermanentJobError);
    const { body } = await metrics.render();
    expect(valueOf(body, 'tas_job_duration_seconds_sum', { job: 'execute', outcome: 'ok' })).toBe(
      1.5,
    );
    expect(
      valueOf(body, 'tas_job_duration_seconds_count', { job: 'execute', outcome: 'error' }),
    ).toBe(1);
    expect(
      valueOf(body, 'tas_job_duration_seconds_count', { job: 'expire', outcome: 'permanent' }),
    ).toBe(1);
  });
});

describe('instrumentProber', () => {
  it('reports every result and returns it unchanged', async () => {
    const metrics = metricsFor();
    const spec: ProbeSpec = {
      kind: 'tcp',
      name: 'mongo',
      host: '127.0.0.1',
      port: 27017,
      timeoutMs: 100,
    };
    const result = {
      name: 'mongo',
      target: '127.0.0.1:27017',
      outcome: 'fail',
      latencyMs: 3,
      detail: 'ECONNREFUSED',
    } as const;
    const prober = instrumentProber({ probe: () => Promise.resolve(result) }, metrics);
    await expect(prober.probe(spec)).resolves.toBe(result);
    expect(
      valueOf((await metrics.render()).body, 'tas_probe_up', {
        probe: 'mongo',
        target: '127.0.0.1:27017',
      }),
    ).toBe(0);
  });
});
