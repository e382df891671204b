import type { ServiceState } from './container-platform.js';

/**
 * The changes a privileged operation makes to one service, through the Engine API only.
 * Deliberately left out: creating or removing services, changing networks, mounts or secrets.
 */
export type ServiceChange =
  /** `docker service update --force`: ForceUpdate + 1, same spec. */
  | { readonly kind: 'restart' }
  /** `docker service scale svc=N` (stop = 0, start = the recorded count). */
  | { readonly kind: 'scale'; readonly replicas: number }
  /** Back to the spec before the last update (`docker service rollback`). */
  | { readonly kind: 'rollback' }
  /** The same spec with another image tag (`docker service update --image`). */
  | { readonly kind: 'image'; readonly image: string };

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
