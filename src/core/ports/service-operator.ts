import type { ServiceState } from './container-platform.js';

/**
 * The changes a privileged operation makes to one service, through the Engine API only.
 * Deliberately left out: creating or removing services, changing networks, mounts or secrets.
 */
export type ServiceChange =
  /**
   * `docker service update --force`: same spec, new tasks. `forceUpdate` is the marker the
   * restart leaves on the service (Swarm: the ForceUpdate value it writes, planned as the value
   * on the card + 1; Compose: the earliest container start, ECS: the PRIMARY deployment's
   * creation, both in ms): the restart is on the service once its value is at least this. Absent
   * on requests stored before markers existed: then ForceUpdate + 1.
   */
  | { readonly kind: 'restart'; readonly forceUpdate?: number }
  /** `docker service scale svc=N` (stop = 0, start = the recorded count). */
  | { readonly kind: 'scale'; readonly replicas: number }
  /**
   * Back to the spec recorded when the card was shown, applied as an update to exactly that
   * target: never Swarm's `rollback=previous` toggle, which a second apply would undo. Absent
   * target: a request stored before targets existed (its card's previous image is used).
   */
  | { readonly kind: 'rollback'; readonly target?: RollbackTarget }
  /** The same spec with another image tag (`docker service update --image`). */
  | { readonly kind: 'image'; readonly image: string };

/** Where a rollback goes, fixed at plan time and shown on the card. */
export interface RollbackTarget {
  /**
   * The full image reference (Swarm: the previous spec's image, the one part of it the rollback
   * restores; Compose: the image the bot recorded on the container when it last recreated it).
   */
  readonly image: string;
  /** ECS: the task definition revision (ARN) the service goes back to, a whole spec. */
  readonly taskDefinition?: string;
}

export interface AppliedChange {
  /** Version.Index the update was made against. */
  readonly fromVersion: number;
  readonly warnings: readonly string[];
}

/**
 * One inspect of one service and what can be done from it without inspecting again: the drift
 * check reads `state`, the update goes against exactly this inspect, and each convergence poll
 * refreshes one part. `state` may come without task history (`tasks` empty, `running` 0) until
 * the tasks are refreshed.
 */
export interface ServiceLook {
  readonly state: ServiceState;
  /**
   * Applies a change against this inspect (Swarm: its `Version.Index`); on "update out of
   * sequence" once more against a fresh inspect, as `ServiceOperator.apply` does.
   */
  apply(change: ServiceChange): Promise<AppliedChange>;
  /**
   * One convergence poll, one platform call where the platform allows: `tasks` refreshes the
   * task history and the running count, `service` the service's own state (its update status);
   * the other part is kept from before. Undefined once the service is gone.
   */
  refresh(part: 'tasks' | 'service'): Promise<ServiceState | undefined>;
}

export interface ServiceOperator {
  /** A fresh look at one service (by short name) with its task history, for verification. */
  inspect(name: string): Promise<ServiceState | undefined>;
  /**
   * One inspect to act on (the drift check, the update, the convergence polls). Optional: an
   * operator without it is looked at through `inspect` and `apply`, a full inspect per poll.
   */
  look?(name: string): Promise<ServiceLook | undefined>;
  /**
   * Applies a change against the service's current `Version.Index`, re-inspecting and retrying
   * once when the Engine answers "update out of sequence". Throws `PlatformConflictError` when
   * the retry conflicts too, and `DependencyError` when Docker is unreachable.
   */
  apply(name: string, change: ServiceChange): Promise<AppliedChange>;
  /**
   * Why this platform cannot make the change, in words for chat (Compose keeps replica counts in
   * the compose file); undefined when it can. Asked when the request is made, before any card.
   */
  unsupported?(change: ServiceChange, service: ServiceState): string | undefined;
}
