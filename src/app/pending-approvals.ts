import type { RequestStore } from '../core/ports/request-store.js';

/**
 * The pending-approvals gauge: requests waiting for a vote, per configured environment (zeros
 * included, so a dashboard shows every environment). Read through the same guarded store the
 * commands use, so Redis being down is reported as a dependency error like everywhere else.
 */
export function pendingApprovals(
  store: Pick<RequestStore, 'open'>,
  environments: readonly string[],
): () => Promise<{ environment: string; count: number }[]> {
  return async () => {
    const open = await store.open();
    return environments.map((environment) => ({
      environment,
      count: open.filter((r) => r.environment === environment && r.state === 'pending').length,
    }));
  };
}
