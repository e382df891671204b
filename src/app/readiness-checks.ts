import type { ChatAdapter } from '../core/ports/chat-adapter.js';
import type { ReplicaCanary } from '../infra/redis/durability-canary.js';
import type { ReadinessCheck } from '../infra/http/readiness.js';

/**
 * What `/health/ready` asks once the process is up: Redis answers, a canary job went through
 * the operations workers, replicas acknowledge writes (when required), and each chat adapter is
 * connected. Without Redis the first two pass
 * and say that privileged operations are off.
 */
export function readinessChecks(
  canary: ReplicaCanary | undefined,
  adapters: readonly ChatAdapter[],
): ReadinessCheck[] {
  const off = { ok: true, detail: 'no Redis configured: privileged operations are off' };
  return [
    { name: 'redis', check: () => canary?.redis() ?? off },
    { name: 'workers', check: () => canary?.workers() ?? off },
    // Only when REDIS_WAIT_REPLICAS asks for replicas: votes written without them could be lost.
    ...(canary?.replicas ? [{ name: 'replicas', check: () => canary.replicas?.() ?? off }] : []),
    // Passes either way (an unready bot would not make votes safer) but says when the server's
    // settings would lose acknowledged votes in a Redis crash.
    ...(canary?.persistence
      ? [{ name: 'persistence', check: () => canary.persistence?.() ?? off }]
      : []),
    ...adapters.map((adapter) => ({
      name: adapter.platform,
      check: () =>
        adapter.connected()
          ? { ok: true, detail: 'connected' }
          : { ok: false, detail: 'not connected' },
    })),
  ];
}
