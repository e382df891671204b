import { writeFile } from 'node:fs/promises';
import os from 'node:os';

/** One row of the table and one entry of bench/results.json. */
export interface BenchResult {
  readonly name: string;
  /** Table cells: what the bot did, what the baseline did, and the comparison. */
  readonly bot: string;
  readonly baseline: string;
  readonly measure: string;
  readonly target: string;
  /** Undefined when the benchmark could not run (see `error`). */
  readonly met: boolean | undefined;
  /** Medians, p99s, ratios, counts: everything the cells were computed from. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Why a target was missed and what would close it; how the numbers were taken. */
  readonly notes: readonly string[];
  readonly error?: string;
}

/** A benchmark that threw still gets a row, so one failure never hides the others. */
export function failedResult(name: string, target: string, error: unknown): BenchResult {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    name,
    bot: '—',
    baseline: '—',
    measure: 'did not run',
    target,
    met: undefined,
    data: {},
    notes: [],
    error: message,
  };
}

const HEADINGS = ['benchmark', 'bot', 'baseline', 'ratio / percentiles', 'target', 'met?'] as const;

/** The results as a plain-text table, one row per benchmark. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.bot,
    r.baseline,
    r.measure,
    r.target,
    r.met === undefined ? 'ERROR' : r.met ? 'yes' : 'NO',
  ]);
  const widths = HEADINGS.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [line(HEADINGS), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join(
    '\n',
  );
}

export async function writeResults(
  path: string,
  results: readonly BenchResult[],
  startedAt: Date,
): Promise<void> {
  const document = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryMB: Math.round(os.totalmem() / 1048576),
      loadAverage: os.loadavg(),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    results: results.map((r) => ({
      name: r.name,
      met: r.met ?? null,
      target: r.target,
      ...r.data,
      notes: r.notes,
      ...(r.error !== undefined && { error: r.error }),
    })),
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}
