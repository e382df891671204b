import { beforeEach, expect, it } from 'vitest';
import type { RequestStore } from '../../src/core/ports/request-store.js';
import type { RequestStoreSubject } from './request-store-contract.js';
import { pendingRequest } from './request-fixture.js';

const CLAIM_MS = 60_000;

/**
 * What the reconciler reads and frees: every claim with its holder, and a release that drops a
 * claim only while the holder named still holds it.
 */
export function requestStoreClaimListing(current: () => RequestStoreSubject): void {
  let store: RequestStore;
  beforeEach(() => {
    store = current().store;
  });

  const stopAll = (id: string) => {
    const [step] = pendingRequest().steps;
    if (step === undefined) throw new Error('the fixture has a step');
    return pendingRequest({
      id,
      operation: 'stop',
      target: 'all',
      steps: [step, { ...step, service: 'frontend' }],
    });
  };

  it('lists every claim with its holder', async () => {
    await store.createClaimed(stopAll('first'), CLAIM_MS);
    const claims = [...(await store.claims())].sort((a, b) => a.service.localeCompare(b.service));
    expect(claims).toEqual([
      { environment: 'prod', service: 'backend', holder: 'first' },
      { environment: 'prod', service: 'frontend', holder: 'first' },
    ]);
  });

  it('lists no claim once its request has finished', async () => {
    await store.createClaimed(stopAll('first'), CLAIM_MS);
    await store.update('first', (r) => ({ request: { ...r, state: 'cancelled' }, result: true }));
    expect(await store.claims()).toEqual([]);
  });

  it('releases a claim only for the holder named', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    await store.releaseClaim('prod', 'backend', 'someone-else');
    expect(await store.claimHolder('prod', 'backend')).toBe('first');
    await store.releaseClaim('prod', 'backend', 'first');
    expect(await store.claimHolder('prod', 'backend')).toBeUndefined();
    expect(await store.claims()).toEqual([]);
  });
}
