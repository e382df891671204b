import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const ACK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const COMMAND_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.1, 1, 5, 15, 30, 60, 120, 300, 600];

/** The series the process itself counts, each registered in `registry` only. */
export function botMetricSeries(registry: Registry) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers });
  return {
    commands: counter('tas_commands_total', 'Commands answered, by command and outcome.', [
      'command',
      'outcome',
    ]),
    commandSeconds: histogram(
      'tas_command_duration_seconds',
      'Time from dispatch to reply, by command.',
      ['command'],
      COMMAND_BUCKETS,
    ),
    ack: histogram(
      'tas_ack_latency_seconds',
      'Time from receiving a chat event to acknowledging it, by platform.',
      ['platform'],
      ACK_BUCKETS,
    ),
    jobs: histogram(
      'tas_job_duration_seconds',
      'Operation job run time, by job name and outcome.',
      ['job', 'outcome'],
      JOB_BUCKETS,
    ),
    probeChecks: counter('tas_probe_checks_total', 'Probe results, by probe, target and outcome.', [
      'probe',
      'target',
      'outcome',
    ]),
    probeUp: gauge('tas_probe_up', '1 if the last check of the probe passed, else 0.', [
      'probe',
      'target',
    ]),
    probeLatency: gauge('tas_probe_latency_seconds', 'Latency of the last check of the probe.', [
      'probe',
      'target',
    ]),
  };
}

/**
 * A gauge whose values come from `read` at each scrape, replacing the last ones: a source
 * that fails (`read` gives undefined) leaves it empty rather than stale.
 */
export function scrapedGauge<L extends string>(
  registry: Registry,
  definition: { readonly name: string; readonly help: string; readonly labelNames: readonly L[] },
  read: () => Promise<
    readonly { readonly labels: Record<L, string>; readonly value: number }[] | undefined
  >,
): Gauge<L> {
  const gauge: Gauge<L> = new Gauge<L>({
    ...definition,
    registers: [registry],
    async collect() {
      const rows = await read();
      gauge.reset();
      for (const row of rows ?? []) gauge.set(row.labels, row.value);
    },
  });
  return gauge;
}
