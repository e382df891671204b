import type { ServiceChange } from '../ports/service-operator.js';
import type { Platform } from '../chat-event.js';

export type OperationKind = 'restart' | 'scale' | 'stop' | 'start' | 'rollback';

export type RequestState =
  | 'pending'
  | 'approved'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'drifted';

export const FINISHED_STATES: ReadonlySet<RequestState> = new Set([
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
  'drifted',
]);

/** What a service looked like when the card was shown: the drift check compares against it. */
export interface ServiceSnapshot {
  readonly image: string;
  readonly imageTag: string;
  readonly desired: number;
  readonly running: number;
  readonly version: number;
  readonly fingerprint: string;
  readonly forceUpdate: number;
  /** The image a `rollback` without a tag goes back to, as the platform reported it. */
  readonly previousImage?: string;
}

/** One line of a verdict's evidence, marked so a reader sees what held and what did not. */
export interface Evidence {
  readonly text: string;
  readonly tone: 'ok' | 'warn' | 'fail';
}

/**
 * What was already wrong before the change, so verification judges the change and not the
 * environment: a probe failing before and after, or an error the service was already logging,
 * is reported as a warning, not blamed on the operation.
 */
export interface Baseline {
  readonly failingProbes: readonly string[];
  readonly errorKeys: readonly string[];
}

export type StepState = 'planned' | 'applying' | 'applied' | 'verified' | 'failed' | 'skipped';

/** One service, one change. `stop all` has one step per service, in runbook order. */
export interface OperationStep {
  readonly service: string;
  readonly change: ServiceChange;
  readonly before: ServiceSnapshot;
  /** Human description of the change: `replicas 1→3`, `image 5.15.1→5.15.2`, `force update`. */
  readonly describe: string;
  readonly state: StepState;
  /**
   * The change exactly as it is sent, stored with `applying` before it is sent, so the next
   * worker after a crash looks for this on the service. It is `change` itself, but for a restart
   * whose service was restarted by someone else since the card: its marker then moves past that.
   */
  readonly sent?: ServiceChange;
  readonly startedAt?: string;
  readonly note?: string;
  readonly baseline?: Baseline;
}

export interface Vote {
  readonly person: string;
  readonly at: string;
}

/** Where the request was made and where its card sits, so updates land in the same thread. */
export interface RequestOrigin {
  readonly platform: Platform;
  readonly channelId: string;
  readonly threadId?: string;
  /** Platform reference of the approval card (Slack ts, Discord message id). */
  readonly cardRef?: string;
  /**
   * Digest of the card as last posted or edited (`cardDigest`): the reconciler renders the
   * card again when the request has moved on from what the card shows.
   */
  readonly cardShows?: string;
}

export interface OperationRequest {
  readonly id: string;
  readonly environment: string;
  readonly operation: OperationKind;
  /** A service name or `all`. */
  readonly target: string;
  readonly steps: readonly OperationStep[];
  readonly requester: string;
  readonly reason?: string;
  readonly breakGlass: boolean;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly state: RequestState;
  readonly required: number;
  readonly approverRoles: readonly string[];
  readonly approvals: readonly Vote[];
  /**
   * sha256 of the planned change (planDigest), taken when the card was first shown; the worker
   * recomputes it from the stored steps and acts only when the two agree.
   */
  readonly planDigest?: string;
  readonly rejection?: Vote & { readonly reason?: string };
  readonly cancelledBy?: string;
  readonly origin: RequestOrigin;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly outcome?: {
    readonly ok: boolean;
    readonly summary: string;
    readonly evidence: readonly Evidence[];
  };
}

export const isFinished = (request: OperationRequest): boolean =>
  FINISHED_STATES.has(request.state);
