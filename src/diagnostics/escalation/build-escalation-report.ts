import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../../audit/audit-log.js';
import type { EnvironmentConfig } from '../../config/schema.js';
import type { Clock } from '../../core/ports/clock.js';
import type { ContainerPlatform } from '../../core/ports/container-platform.js';
import type { RequestStore } from '../../core/ports/request-store.js';
import type { WatchState } from '../../core/ports/watch-state-store.js';
import { formatDuration } from '../../lib/duration.js';
import { redactDeep, type Redactor } from '../../lib/redact.js';
import type { StatusSnapshot } from '../status/check-status.js';
import { buildChecklist } from './build-checklist.js';
import { collectFacts } from './collect-facts.js';
import { collectLogExcerpts, pickLogTargets } from './collect-log-excerpts.js';
import { collectOpenOperations } from './collect-open-operations.js';
import { collectRecentChanges } from './collect-recent-changes.js';
import { describeProbes, describeServices } from './describe-status.js';
import type { ChangeReport, EscalationReport, ServiceReport } from './escalation-report.js';
import { REPORT_FORMAT, UNKNOWN } from './escalation-report.js';
import { fitUserText } from './report-budgets.js';
import { utcTime } from './utc-time.js';
import { countOf } from './count-of.js';

export interface EscalationInput {
  readonly environment: string;
  readonly env: EnvironmentConfig;
  /** A fresh status check: the report shows it, and picks whose logs to read from it. */
  readonly snapshot: StatusSnapshot;
  readonly trigger: 'command' | 'watcher';
  /** A person's config name, or `watcher`. */
  readonly requestedBy: string;
  readonly description?: string;
  readonly stepsToReproduce?: string;
  readonly affectedUser?: string;
  readonly caseId?: string;
  /** The watcher's state for the environment (when the problem started); absent when it has none. */
  readonly watch?: WatchState;
}

export interface EscalationReportDeps {
  readonly platform: ContainerPlatform;
  readonly audit?: AuditLog;
  readonly requests?: RequestStore;
  /** The deployment's redactor: credential shapes plus every configured secret. */
  readonly redact: Redactor;
  readonly clock: Clock;
  readonly newId?: () => string;
}

/** Logs reach back to the first failed check (and 5 minutes before it), at most this far. */
const MAX_LOG_LOOKBACK_MS = 6 * 3_600_000;
const BEFORE_FIRST_FAILURE_MS = 5 * 60_000;
const RESTART_LIKE: ReadonlySet<string> = new Set([
  'restart',
  'rollback',
  'start',
  'stop',
  'scale',
]);

/**
 * Everything TAS support asks for (docs/runbooks/tas-escalation.md), gathered at once: the
 * status snapshot as given, log excerpts of the unhealthy services, the audit trail's recent
 * operations and the open requests. Sources that fail leave their part `unknown (why)`, never the whole bundle.
 * Redacted with `deps.redact` before anything is returned.
 */
export async function buildEscalationReport(
  deps: EscalationReportDeps,
  input: EscalationInput,
): Promise<EscalationReport> {
  const now = deps.clock.now();
  const { env, snapshot, environment } = input;
  const { targets, leftOut } = pickLogTargets(snapshot, env);
  const [logs, changes, open] = await Promise.all([
    collectLogExcerpts(deps.platform, env, targets, {
      since: logWindowStart(now, env, input.watch),
      redact: deps.redact,
    }),
    collectRecentChanges(deps.audit, environment),
    collectOpenOperations(deps.requests, environment),
  ]);
  const services = describeServices(snapshot);
  const started = startedAt(input);
  const body: Omit<EscalationReport, 'checklist'> = {
    format: REPORT_FORMAT,
    id: `esc-${environment}-${now.toISOString().replace(/[-:]|\.\d+/g, '')}-${(deps.newId ?? randomSuffix)()}`,
    createdAt: now.toISOString(),
    trigger: input.trigger,
    requestedBy: input.requestedBy,
    environment: { name: environment, url: env.url ?? UNKNOWN },
    facts: collectFacts(env.facts),
    problem: {
      verdict: snapshot.verdict,
      reasons: snapshot.reasons,
      description: given(input.description, deps.redact),
      ...started,
      stepsToReproduce: given(input.stepsToReproduce, deps.redact),
      affectedUser: given(input.affectedUser, deps.redact),
      caseId: given(input.caseId, deps.redact),
    },
    status: {
      checkedAt: snapshot.checkedAt.toISOString(),
      tookMs: snapshot.tookMs,
      ...(snapshot.platformError !== undefined && { platformError: snapshot.platformError }),
      services,
    },
    probes: describeProbes(snapshot, env, deps.redact),
    logs,
    logsLeftOut: leftOut,
    recentChanges: {
      operations: changes.operations,
      lastRestartOrDeploy: lastRestartOrDeploy(changes.operations, services),
      note: 'changes made outside the bot (docker CLI, deploy pipelines, host updates) are not recorded here',
      ...(changes.unavailable !== undefined && { unavailable: changes.unavailable }),
    },
    handling: {
      requestedBy:
        input.trigger === 'watcher' ? 'the watcher (automatic escalation)' : input.requestedBy,
      openOperations: open.operations,
      ...(open.unavailable !== undefined && { openOperationsNote: open.unavailable }),
      watcher: watcherLine(input),
      previousEscalation:
        changes.previousEscalation === undefined
          ? 'none recorded'
          : `${utcTime(changes.previousEscalation.at)} by ${changes.previousEscalation.actor}: ${changes.previousEscalation.summary}`,
    },
  };
  const redacted = redactDeep(body, deps.redact);
  return { ...redacted, checklist: redactDeep(buildChecklist(redacted), deps.redact) };
}

const randomSuffix = () => randomBytes(2).toString('hex');

// Redacted before the cut: a secret crossing the budget's end would otherwise keep its first
// half, which no longer looks like a secret when the whole report is redacted below.
function given(text: string | undefined, redact: Redactor): string {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? UNKNOWN : fitUserText(redact(trimmed));
}

function logWindowStart(now: Date, env: EnvironmentConfig, watch: WatchState | undefined): Date {
  const usual = now.getTime() - env.logs.defaultSince;
  const first =
    watch?.firstFailureAt === undefined
      ? usual
      : Date.parse(watch.firstFailureAt) - BEFORE_FIRST_FAILURE_MS;
  return new Date(
    Math.max(
      now.getTime() - MAX_LOG_LOOKBACK_MS,
      Math.min(usual, Number.isNaN(first) ? usual : first),
    ),
  );
}

function startedAt(input: EscalationInput): { startedAt: string; startedAtNote: string } {
  const { watch, env } = input;
  if (watch?.firstFailureAt !== undefined) {
    const run =
      watch.consecutiveFailures > 0
        ? `; ${countOf(watch.consecutiveFailures, 'failed check')} in a row`
        : '';
    return {
      startedAt: watch.firstFailureAt,
      startedAtNote: `the first failed check the watcher saw${run}`,
    };
  }
  if (env.watch === undefined)
    return {
      startedAt: UNKNOWN,
      startedAtNote: 'the watcher does not watch this environment (no watch in the config)',
    };
  if (watch === undefined)
    return {
      startedAt: UNKNOWN,
      startedAtNote: 'the watcher has not checked this environment yet',
    };
  const last =
    watch.lastCheckAt === undefined
      ? ''
      : `; newest check ${utcTime(watch.lastCheckAt)}: ${watch.lastVerdict ?? 'OK'}`;
  return { startedAt: UNKNOWN, startedAtNote: `the watcher has seen no failed check${last}` };
}

function lastRestartOrDeploy(
  operations: readonly ChangeReport[],
  services: readonly ServiceReport[],
): string {
  const parts: string[] = [];
  const op = operations.find((o) => RESTART_LIKE.has(o.operation));
  if (op !== undefined) {
    const approved = op.approvedBy.length > 0 ? `, approved by ${op.approvedBy.join(', ')}` : '';
    parts.push(
      `${op.operation} ${op.service ?? ''} requested by ${op.requestedBy}${approved} at ${utcTime(op.at)} (${op.outcome})`.replace(
        '  ',
        ' ',
      ),
    );
  }
  const newest = services
    .filter((s): s is ServiceReport & { runningSince: string } => s.runningSince !== undefined)
    .sort((a, b) => b.runningSince.localeCompare(a.runningSince))[0];
  if (newest !== undefined)
    parts.push(
      `newest running task: ${newest.name} since ${utcTime(newest.runningSince)}${newest.image === undefined ? '' : ` (${newest.image})`}`,
    );
  return parts.length === 0 ? UNKNOWN : parts.join('; ');
}

function watcherLine({ env, watch }: EscalationInput): string {
  if (env.watch === undefined) return 'not watched (no watch in the config)';
  const every = `checks every ${formatDuration(env.watch.every)}`;
  if (watch === undefined) return `${every}; no check yet`;
  const parts = [every, `confirmed ${watch.verdict} since ${utcTime(watch.verdictSince)}`];
  if (watch.lastCheckAt !== undefined)
    parts.push(`newest check ${watch.lastVerdict ?? ''} at ${utcTime(watch.lastCheckAt)}`);
  parts.push(`${countOf(watch.consecutiveFailures, 'failed check')} in a row`);
  if (watch.lastEscalationAt !== undefined)
    parts.push(
      `escalated ${watch.escalations}× since the problem began, last at ${utcTime(watch.lastEscalationAt)}`,
    );
  return parts.join('; ');
}
