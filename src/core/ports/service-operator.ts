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

export interface ServiceOperator {
  /** A fresh look at one service (by short name), for the drift check and verification. */
  inspect(name: string): Promise<ServiceState | undefined>;
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
