import type { EnvironmentConfig } from '../../config/schema.js';
import type { ContainerPlatform, ServiceState } from '../../core/ports/container-platform.js';
import type { Redactor } from '../../lib/redact.js';
import { buildExcerpt } from '../logs/build-excerpt.js';
import { cut } from '../logs/format-log-line.js';
import { limitLogTime } from '../logs/limit-log-time.js';
import { logPatterns } from '../logs/log-patterns.js';
import { readLogSource } from '../logs/read-log-source.js';
import type { StatusSnapshot } from '../status/check-status.js';
import type { LogReport } from './escalation-report.js';
import { fitNewest, REPORT_BUDGETS } from './report-budgets.js';

/** A service whose logs go into the report, and why. */
export interface LogTarget {
  readonly service: string;
  readonly reason: string;
  readonly state?: ServiceState;
}

const SEVERITY: Readonly<Record<string, number>> = { down: 0, degraded: 1, stopped: 2, missing: 3 };

/** The bundle reads at most this much of one service's log, whatever `logs.maxBytes` allows. */
const MAX_BYTES = 16 * 1024 * 1024;
const TOP_REPEATED = 5;

/**
 * Whose logs the report shows: every unhealthy service (most severe first), then the services
 * behind failing probes (`probes[].service`). When nothing points anywhere (a probe without a
 * service failed, or someone escalated an OK environment), every deployed service.
 */
export function pickLogTargets(
  snapshot: StatusSnapshot,
  env: EnvironmentConfig,
): { targets: LogTarget[]; leftOut: string[] } {
  const byName = new Map<string, { reasons: string[]; state?: ServiceState; rank: number }>();
  const add = (service: string, reason: string, rank: number) => {
    const existing = byName.get(service);
    if (existing !== undefined) {
      existing.reasons.push(reason);
      return;
    }
    const state = snapshot.services.find((s) => s.name === service)?.state;
    byName.set(service, { reasons: [reason], rank, ...(state !== undefined && { state }) });
  };
  for (const service of snapshot.services) {
    if (service.health !== 'ok')
      add(service.name, `${service.health}: ${service.problem}`, SEVERITY[service.health] ?? 4);
  }
  const serviceOf = new Map(env.probes.map((probe) => [probe.name, probe.service]));
  for (const probe of snapshot.probes) {
    const service = serviceOf.get(probe.name);
    if (probe.outcome !== 'ok' && service !== undefined)
      add(service, `probe ${probe.name} failed: ${probe.detail}`, 0.5);
  }
  if (byName.size === 0) {
    for (const service of snapshot.services) {
      if (service.state !== undefined)
        add(service.name, 'nothing is marked unhealthy, so every deployed service is shown', 5);
    }
  }
  const ordered = [...byName.entries()]
    .sort(([, a], [, b]) => a.rank - b.rank)
    .map(([service, { reasons, state }]): LogTarget => ({
      service,
      reason: reasons.join('; '),
      ...(state !== undefined && { state }),
    }));
  return {
    targets: ordered.slice(0, REPORT_BUDGETS.logServicesMax),
    leftOut: ordered.slice(REPORT_BUDGETS.logServicesMax).map((t) => t.service),
  };
}

export interface CollectLogsOptions {
  readonly since: Date;
  readonly redact: Redactor;
}

/**
 * One excerpt per target, read at the same time; a service whose logs cannot be read gets an
 * `error` instead of failing the bundle. Each gets an equal share of the log budget.
 */
export async function collectLogExcerpts(
  platform: ContainerPlatform,
  env: EnvironmentConfig,
  targets: readonly LogTarget[],
  options: CollectLogsOptions,
): Promise<LogReport[]> {
  const share = Math.max(
    REPORT_BUDGETS.logsPerServiceMin,
    Math.floor(REPORT_BUDGETS.logs / Math.max(1, targets.length)),
  );
  return Promise.all(targets.map((target) => excerptOf(platform, env, target, options, share)));
}

async function excerptOf(
  platform: ContainerPlatform,
  env: EnvironmentConfig,
  target: LogTarget,
  options: CollectLogsOptions,
  share: number,
): Promise<LogReport> {
  const tail = env.logs.defaultTail;
  const base = {
    service: target.service,
    reason: target.reason,
    since: options.since.toISOString(),
    tail,
  };
  const empty = {
    linesScanned: 0,
    matchedLines: 0,
    patternCounts: [],
    topRepeated: [],
    lines: [],
    omittedLines: 0,
    scanCut: false,
  };
  if (target.state === undefined)
    return { ...base, ...empty, error: 'not deployed, so there are no logs' };
  const maxBytes = Math.min(env.logs.maxBytes, MAX_BYTES);
  try {
    // Bounded like `/tas logs`: a log stream that hangs or breaks must not hold up the bundle.
    const limited = limitLogTime(
      await platform.streamLogs(target.state, { since: options.since, tail }),
      env.logs.maxSeconds * 1000,
    );
    const excerpt = await buildExcerpt(readLogSource(limited.source, { maxBytes }), {
      patterns: logPatterns(env.logs.patterns),
      maxBytes,
      redact: options.redact,
      maxLineChars: REPORT_BUDGETS.logLine,
    });
    const topRepeated = excerpt.groups
      .slice(0, TOP_REPEATED)
      .map((g) => ({ count: g.count, sample: cut(g.sample, REPORT_BUDGETS.logLine) }));
    const summaryChars =
      topRepeated.reduce((n, g) => n + g.sample.length + 12, 0) + excerpt.patternCounts.length * 40;
    const fitted = fitNewest(excerpt.excerpt.lines, Math.max(share - summaryChars, share / 2));
    return {
      ...base,
      linesScanned: excerpt.linesScanned,
      matchedLines: excerpt.matchedLines,
      patternCounts: excerpt.patternCounts,
      topRepeated,
      lines: fitted.lines,
      omittedLines: fitted.omitted + excerpt.excerpt.omittedLines,
      scanCut:
        excerpt.truncated !== undefined || limited.timedOut() || limited.brokenBy() !== undefined,
    };
  } catch (error) {
    return {
      ...base,
      ...empty,
      error: `could not read the logs: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
