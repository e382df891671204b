import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestStore } from '../../src/core/ports/request-store.js';
import type { OperationRequest } from '../../src/core/requests/operation-request.js';
import { pendingRequest } from './request-fixture.js';
import { requestStoreClaimListing } from './request-store-claim-listing.js';
import { requestStoreClaims } from './request-store-claims.js';

export interface RequestStoreSubject {
  readonly store: RequestStore;
  /** Lets time pass for the store: the injected clock moves, or a real wait for Redis's TTLs. */
  elapse(ms: number): Promise<void>;
  close?(): Promise<void>;
}

export interface RequestStoreTimings {
  readonly retentionMs: number;
}

/** Short enough for a real wait, long enough that a write and the next read fall inside them. */
const TIMINGS: RequestStoreTimings = { retentionMs: 1500 };

const finished = (request: OperationRequest): OperationRequest => ({
  ...request,
  state: 'succeeded',
  finishedAt: '2026-12-01T03:20:00.000Z',
});

/**
 * What every request store does, from its port's promises and what the operations rely on:
 * votes never lost, one operation per service, budgets over a sliding window.
 */
export function requestStoreContract(
  make: (timings: RequestStoreTimings) => Promise<RequestStoreSubject>,
): void {
  let subject: RequestStoreSubject;
  let store: RequestStore;
  beforeEach(async () => {
    subject = await make(TIMINGS);
    store = subject.store;
  });
  afterEach(async () => {
    await subject.close?.();
  });

  describe('when a request is created', () => {
    it('reads it back as stored', async () => {
      await store.create(pendingRequest());
      expect(await store.get('r1')).toEqual(pendingRequest());
    });

    it('reads nothing for an id never stored', async () => {
      expect(await store.get('nope')).toBeUndefined();
    });
  });

  describe('when a request is updated', () => {
    it('stores the change and answers with it and its result', async () => {
      await store.create(pendingRequest());
      const vote = { person: 'dave', at: '2026-12-01T03:01:00.000Z' };
      const updated = await store.update('r1', (current) => ({
        request: { ...current, approvals: [vote] },
        result: 'counted',
      }));
      expect(updated).toEqual({
        request: { ...pendingRequest(), approvals: [vote] },
        result: 'counted',
      });
      expect((await store.get('r1'))?.approvals).toEqual([vote]);
    });

    it('leaves the request as it is when the change declines', async () => {
      await store.create(pendingRequest());
      const updated = await store.update('r1', () => undefined);
      expect(updated).toEqual({ request: pendingRequest(), result: undefined });
      expect(await store.get('r1')).toEqual(pendingRequest());
    });

    it('answers nothing for an id never stored, without running the change', async () => {
      let ran = false;
      const updated = await store.update('nope', (current) => {
        ran = true;
        return { request: current, result: true };
      });
      expect(updated).toBeUndefined();
      expect(ran).toBe(false);
    });

    it('loses no approval when ten land at once', async () => {
      await store.create(pendingRequest({ required: 10 }));
      const people = Array.from({ length: 10 }, (_, i) => `lead${i}`);
      await Promise.all(
        people.map((person) =>
          store.update('r1', (current) => ({
            request: {
              ...current,
              approvals: [...current.approvals, { person, at: current.createdAt }],
            },
            result: true,
          })),
        ),
      );
      const approvals = (await store.get('r1'))?.approvals.map((vote) => vote.person);
      expect([...(approvals ?? [])].sort()).toEqual(people);
    });
  });

  describe('open requests', () => {
    it('lists the unfinished ones newest first', async () => {
      await store.create(pendingRequest({ id: 'old', createdAt: '2026-12-01T03:00:00.000Z' }));
      await store.create(pendingRequest({ id: 'new', createdAt: '2026-12-01T03:05:00.000Z' }));
      await store.create(
        pendingRequest({ id: 'mid', state: 'approved', createdAt: '2026-12-01T03:02:00.000Z' }),
      );
      expect((await store.open()).map((r) => r.id)).toEqual(['new', 'mid', 'old']);
    });

    it('lists only the environment asked for', async () => {
      await store.create(pendingRequest({ id: 'p' }));
      await store.create(pendingRequest({ id: 's', environment: 'staging' }));
      expect((await store.open('staging')).map((r) => r.id)).toEqual(['s']);
    });

    it('drops a request once it has finished', async () => {
      await store.create(pendingRequest());
      await store.update('r1', (current) => ({ request: finished(current), result: true }));
      expect(await store.open()).toEqual([]);
    });
  });

  describe('when a request has finished', () => {
    it('keeps it readable until the retention period has passed', async () => {
      await store.create(pendingRequest());
      await store.update('r1', (current) => ({ request: finished(current), result: true }));
      expect((await store.get('r1'))?.state).toBe('succeeded');
      await subject.elapse(TIMINGS.retentionMs + 200);
      expect(await store.get('r1')).toBeUndefined();
    });

    it('keeps an open request past the retention period', async () => {
      await store.create(pendingRequest());
      await subject.elapse(TIMINGS.retentionMs + 200);
      expect((await store.get('r1'))?.state).toBe('pending');
    });
  });

  describe('claims', () => {
    requestStoreClaims(() => subject);
  });

  describe('claims as the reconciler reads them', () => {
    requestStoreClaimListing(() => subject);
  });

  describe('the execution budget', () => {
    const hour = 3_600_000;
    const at = (minute: number) =>
      new Date(Date.parse('2026-12-01T03:00:00.000Z') + minute * 60_000);

    it('counts the executions in the window, this one included', async () => {
      expect(await store.countExecution('prod', 'backend', 'restart', at(0), hour, 'a')).toBe(1);
      expect(await store.countExecution('prod', 'backend', 'restart', at(10), hour, 'b')).toBe(2);
      expect(await store.executions('prod', 'backend', 'restart', at(20), hour)).toBe(2);
    });

    it('forgets executions older than the window', async () => {
      await store.countExecution('prod', 'backend', 'restart', at(0), hour, 'a');
      await store.countExecution('prod', 'backend', 'restart', at(30), hour, 'b');
      expect(await store.executions('prod', 'backend', 'restart', at(70), hour)).toBe(1);
      expect(await store.countExecution('prod', 'backend', 'restart', at(80), hour, 'c')).toBe(2);
    });

    it('counts a request executed twice (a retried job) once', async () => {
      await store.countExecution('prod', 'backend', 'restart', at(0), hour, 'a');
      expect(await store.countExecution('prod', 'backend', 'restart', at(1), hour, 'a')).toBe(1);
    });

    it('keeps services and operations apart', async () => {
      await store.countExecution('prod', 'backend', 'restart', at(0), hour, 'a');
      expect(await store.executions('prod', 'frontend', 'restart', at(1), hour)).toBe(0);
      expect(await store.executions('prod', 'backend', 'scale', at(1), hour)).toBe(0);
      expect(await store.executions('staging', 'backend', 'restart', at(1), hour)).toBe(0);
    });
  });

  describe('saved replicas', () => {
    it('gives back the count saved at stop', async () => {
      await store.saveReplicas('prod', 'backend', 3);
      expect(await store.savedReplicas('prod', 'backend')).toBe(3);
    });

    it('has none for a service never stopped, nor in another environment', async () => {
      await store.saveReplicas('prod', 'backend', 3);
      expect(await store.savedReplicas('prod', 'frontend')).toBeUndefined();
      expect(await store.savedReplicas('staging', 'backend')).toBeUndefined();
    });
  });
}
