import type { Verdict } from '../../core/reply.js';

/** What a field holds when nobody could tell; the checklist says why next to it. */
export const UNKNOWN = 'unknown';

/** The JSON report's format tag; bump the number on an incompatible change. */
export const REPORT_FORMAT = 'tas-chatops.escalation/1';

/** One item support asks for (docs/runbooks/tas-escalation.md): always present, known or not. */
export interface ChecklistItem {
  readonly item: string;
  /** The value, or `unknown (why)`. */
  readonly value: string;
  readonly known: boolean;
}

export interface FailedTaskReport {
  readonly at: string;
  readonly state: string;
  readonly error?: string;
  readonly exitCode?: number;
}

export interface ServiceReport {
  readonly name: string;
  readonly health: string;
  readonly configured: boolean;
  /** `1/1`, or `not deployed`. */
  readonly replicas: string;
  readonly image?: string;
  readonly problem: string;
  /** When the newest running task was created: the last restart or deploy the platform shows. */
  readonly runningSince?: string;
  readonly update?: string;
  readonly restartHistory: {
    readonly inLoop: boolean;
    readonly failuresInWindow: number;
    readonly windowMs: number;
    readonly lastError?: string;
    /** Newest first, at most a few. */
    readonly recentFailures: readonly FailedTaskReport[];
  };
}

export interface ProbeReport {
  readonly name: string;
  readonly target: string;
  readonly outcome: string;
  readonly severity: string;
  readonly status?: number;
  readonly latencyMs: number;
  readonly detail: string;
  /** The service behind the route (`probes[].service`), when configured. */
  readonly service?: string;
  /** The first part of the response body, redacted and cut to the probe budget. */
  readonly body?: string;
}

export interface LogReport {
  readonly service: string;
  /** Why these logs are in the report: `down: scaled to 0`, `probe readiness failed`. */
  readonly reason: string;
  readonly since?: string;
  readonly tail?: number;
  readonly linesScanned: number;
  readonly matchedLines: number;
  readonly patternCounts: readonly { readonly name: string; readonly count: number }[];
  readonly topRepeated: readonly { readonly count: number; readonly sample: string }[];
  /** The excerpt's newest lines that fit this service's share of the log budget. */
  readonly lines: readonly string[];
  /** Excerpt lines left out to stay within the budget (older ones go first). */
  readonly omittedLines: number;
  /** The scan stopped before the end of the log: byte cap, time limit or a dropped stream. */
  readonly scanCut: boolean;
  /** Set when the logs could not be read; the other fields are then empty. */
  readonly error?: string;
}

export interface ChangeReport {
  readonly at: string;
  readonly operation: string;
  readonly service?: string;
  readonly requestedBy: string;
  readonly approvedBy: readonly string[];
  readonly outcome: string;
  readonly requestId?: string;
}

export interface OpenOperationReport {
  readonly id: string;
  readonly operation: string;
  readonly target: string;
  readonly state: string;
  readonly requester: string;
  readonly approvals: readonly string[];
  readonly createdAt: string;
}

/**
 * The escalation bundle as data: the JSON report is exactly this, the Markdown report and the
 * chat summary are renderings of it. Every string in it is already redacted and every list
 * already cut to its section's budget.
 */
export interface EscalationReport {
  readonly format: typeof REPORT_FORMAT;
  readonly id: string;
  readonly createdAt: string;
  readonly trigger: 'command' | 'watcher';
  /** A person's config name, or `watcher`. */
  readonly requestedBy: string;
  readonly environment: { readonly name: string; readonly url: string };
  readonly facts: {
    readonly product: string;
    readonly version: string;
    readonly database: string;
    readonly os: string;
    readonly databaseInStack: string;
    /** Any other `facts` from the config. */
    readonly other: Readonly<Record<string, string>>;
  };
  readonly problem: {
    readonly verdict: Verdict;
    readonly reasons: readonly string[];
    readonly description: string;
    /** ISO time of the first failed check the watcher saw, or `unknown`. */
    readonly startedAt: string;
    readonly startedAtNote: string;
    readonly stepsToReproduce: string;
    readonly affectedUser: string;
    readonly caseId: string;
  };
  readonly status: {
    readonly checkedAt: string;
    readonly tookMs: number;
    readonly platformError?: string;
    readonly services: readonly ServiceReport[];
  };
  readonly probes: readonly ProbeReport[];
  readonly logs: readonly LogReport[];
  /** Services with logs of interest that did not fit (more than the report takes). */
  readonly logsLeftOut: readonly string[];
  readonly recentChanges: {
    readonly operations: readonly ChangeReport[];
    readonly lastRestartOrDeploy: string;
    /** What the trail cannot show (changes made outside the bot). */
    readonly note: string;
    /** Set when the audit trail could not be read: why `operations` is empty. */
    readonly unavailable?: string;
  };
  readonly handling: {
    readonly requestedBy: string;
    readonly openOperations: readonly OpenOperationReport[];
    readonly openOperationsNote?: string;
    readonly watcher: string;
    readonly previousEscalation: string;
  };
  readonly checklist: readonly ChecklistItem[];
}
