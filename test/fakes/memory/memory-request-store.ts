import type { RequestStore } from '../../../src/core/ports/request-store.js';
import type { Clock } from '../../../src/core/ports/clock.js';
import { isFinished, type OperationRequest } from '../../../src/core/requests/operation-request.js';

export interface MemoryRequestStoreOptions {
  readonly clock: Clock;
  /** Finished requests stay readable this long, as with the Redis store. */
  readonly retentionMs?: number;
}

interface Stored {
  /** JSON, as Redis holds it: what comes back is a copy, and undefined fields are gone. */
  readonly json: string;
  readonly expiresAt?: number;
}

/** One claim key per service the request's steps touch: `<environment>:<service>`. */
const claimKeys = (request: OperationRequest): string[] => [
  ...new Set(request.steps.map((step) => `${request.environment}:${step.service}`)),
];

/**
 * The request store in maps, with the Redis store's rules: finished requests expire after the
 * retention period, a request is stored together with its claims or not at all, the write that
 * finishes it frees them, a claim blocks only while its holder is open and its TTL runs, budgets are
 * sets keyed by request id (the same request counts once). Time is the injected clock's.
 */
export function createMemoryRequestStore(options: MemoryRequestStoreOptions): RequestStore {
  const { clock } = options;
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  const requests = new Map<string, Stored>();
  const claims = new Map<string, { holder: string; until: number }>();
  const budgets = new Map<string, Map<string, number>>();
  const replicas = new Map<string, number>();

  const read = (id: string): OperationRequest | undefined => {
    const stored = requests.get(id);
    if (stored === undefined) return undefined;
    if (stored.expiresAt !== undefined && stored.expiresAt <= clock.now().getTime()) {
      requests.delete(id);
      return undefined;
    }
    return JSON.parse(stored.json) as OperationRequest;
  };
  const write = (request: OperationRequest): OperationRequest => {
    const json = JSON.stringify(request);
    const expiresAt = isFinished(request) ? clock.now().getTime() + retentionMs : undefined;
    requests.set(request.id, { json, ...(expiresAt !== undefined && { expiresAt }) });
    // The write that finishes a request frees its claims, as the Redis store's script does.
    if (expiresAt !== undefined)
      for (const key of claimKeys(request))
        if (claims.get(key)?.holder === request.id) claims.delete(key);
    return JSON.parse(json) as OperationRequest;
  };
  /** The live claim on `key`: taken, not lapsed, its holder's request stored and open. */
  const claimOn = (key: string): string | undefined => {
    const claim = claims.get(key);
    if (claim === undefined || claim.until <= clock.now().getTime()) return undefined;
    const holder = read(claim.holder);
    return holder === undefined || isFinished(holder) ? undefined : claim.holder;
  };
  const budget = (environment: string, service: string, operation: string) => {
    const key = `${environment}:${service}:${operation}`;
    const entries = budgets.get(key) ?? new Map<string, number>();
    budgets.set(key, entries);
    return entries;
  };

  return {
    create(request) {
      write(request);
      return Promise.resolve();
    },
    get: (id) => Promise.resolve(read(id)),
    update(id, change) {
      const current = read(id);
      if (current === undefined) return Promise.resolve(undefined);
      const next = change(current);
      if (next === undefined) return Promise.resolve({ request: current, result: undefined });
      return Promise.resolve({ request: write(next.request), result: next.result });
    },
    open(environment) {
      const open = [...requests.keys()]
        .map(read)
        .filter((r): r is OperationRequest => r !== undefined && !isFinished(r))
        .filter((r) => environment === undefined || r.environment === environment)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      return Promise.resolve(open.slice(0, 200));
    },
    createClaimed(request, claimMs) {
      const keys = claimKeys(request);
      for (const key of keys) {
        const holder = claimOn(key);
        if (holder !== undefined && holder !== request.id)
          return Promise.resolve({ service: key.slice(key.indexOf(':') + 1), holder });
      }
      write(request);
      const until = clock.now().getTime() + claimMs;
      for (const key of keys) claims.set(key, { holder: request.id, until });
      return Promise.resolve(undefined);
    },
    claims() {
      const now = clock.now().getTime();
      return Promise.resolve(
        [...claims]
          .filter(([, claim]) => claim.until > now)
          .map(([key, claim]) => ({
            environment: key.slice(0, key.indexOf(':')),
            service: key.slice(key.indexOf(':') + 1),
            holder: claim.holder,
          })),
      );
    },
    releaseClaim(environment, service, holder) {
      const key = `${environment}:${service}`;
      if (claims.get(key)?.holder === holder) claims.delete(key);
      return Promise.resolve();
    },
    claimHolder(environment, service) {
      const key = `${environment}:${service}`;
      const claim = claims.get(key);
      return Promise.resolve(
        claim !== undefined && claim.until > clock.now().getTime() ? claim.holder : undefined,
      );
    },
    countExecution(environment, service, operation, at, windowMs, requestId) {
      const entries = budget(environment, service, operation);
      for (const [id, time] of entries) if (time <= at.getTime() - windowMs) entries.delete(id);
      entries.set(requestId, at.getTime());
      return Promise.resolve(entries.size);
    },
    executions(environment, service, operation, at, windowMs) {
      const times = [...budget(environment, service, operation).values()];
      return Promise.resolve(times.filter((time) => time >= at.getTime() - windowMs).length);
    },
    saveReplicas(environment, service, count) {
      replicas.set(`${environment}:${service}`, count);
      return Promise.resolve();
    },
    savedReplicas: (environment, service) =>
      Promise.resolve(replicas.get(`${environment}:${service}`)),
  };
}
