import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestStore } from '../../src/core/ports/request-store.js';
import {
  FINISHED_STATES,
  type OperationRequest,
} from '../../src/core/requests/operation-request.js';
import type { RequestStoreSubject } from './request-store-contract.js';
import { pendingRequest } from './request-fixture.js';

/** A claim's lifetime: short enough for a real wait on Redis's TTL. */
const CLAIM_MS = 1500;

const finished = (request: OperationRequest): OperationRequest => ({
  ...request,
  state: 'succeeded',
  finishedAt: '2026-12-01T03:20:00.000Z',
});

/**
 * One operation at a time per service: a request is stored together with the claims of every
 * service it touches, or refused naming the holder with nothing stored; the write that finishes
 * it frees them; a claim never outlives its request and lapses after the lifetime it was given.
 */
export function requestStoreClaims(current: () => RequestStoreSubject): void {
  let subject: RequestStoreSubject;
  let store: RequestStore;
  beforeEach(() => {
    subject = current();
    store = subject.store;
  });

  const stopAll = (id: string): OperationRequest => {
    const [step] = pendingRequest().steps;
    if (step === undefined) throw new Error('the fixture has a step');
    return pendingRequest({
      id,
      operation: 'stop',
      target: 'all',
      steps: [step, { ...step, service: 'frontend' }],
    });
  };

  it('stores the request and claims its service in one step', async () => {
    expect(await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS)).toBeUndefined();
    expect(await store.get('first')).toEqual(pendingRequest({ id: 'first' }));
    expect(await store.claimHolder('prod', 'backend')).toBe('first');
  });

  it('refuses a second request for the service, naming it and its holder, and stores nothing', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    expect(await store.createClaimed(pendingRequest({ id: 'second' }), CLAIM_MS)).toEqual({
      service: 'backend',
      holder: 'first',
    });
    expect(await store.get('second')).toBeUndefined();
    expect((await store.open()).map((r) => r.id)).toEqual(['first']);
  });

  it('gives the service to exactly one of ten requests made at once', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `at-once-${i}`);
    const answers = await Promise.all(
      ids.map((id) => store.createClaimed(pendingRequest({ id }), CLAIM_MS)),
    );
    const winners = ids.filter((_, i) => answers[i] === undefined);
    expect(winners).toHaveLength(1);
    const busy = answers.filter((answer) => answer !== undefined);
    expect(busy).toEqual(ids.slice(1).map(() => ({ service: 'backend', holder: winners[0] })));
    expect((await store.open()).map((r) => r.id)).toEqual(winners);
  });

  it('claims every service a request touches, or none of them', async () => {
    await store.createClaimed(
      pendingRequest({ id: 'front', steps: stopAll('x').steps.slice(1), target: 'frontend' }),
      CLAIM_MS,
    );
    expect(await store.createClaimed(stopAll('all'), CLAIM_MS)).toEqual({
      service: 'frontend',
      holder: 'front',
    });
    expect(await store.claimHolder('prod', 'backend')).toBeUndefined();
    expect(await store.get('all')).toBeUndefined();
  });

  it('holds each service of a request that touches several', async () => {
    await store.createClaimed(stopAll('all'), CLAIM_MS);
    expect(await store.claimHolder('prod', 'backend')).toBe('all');
    expect(await store.claimHolder('prod', 'frontend')).toBe('all');
    expect(await store.createClaimed(pendingRequest({ id: 'second' }), CLAIM_MS)).toEqual({
      service: 'backend',
      holder: 'all',
    });
  });

  it('keeps services and environments apart', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    const [step] = pendingRequest().steps;
    if (step === undefined) throw new Error('the fixture has a step');
    const front = pendingRequest({ id: 'front', steps: [{ ...step, service: 'frontend' }] });
    expect(await store.createClaimed(front, CLAIM_MS)).toBeUndefined();
    const staging = pendingRequest({ id: 'staging', environment: 'staging' });
    expect(await store.createClaimed(staging, CLAIM_MS)).toBeUndefined();
  });

  it('lets the same request store and claim again (a retried call)', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    expect(await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS)).toBeUndefined();
    expect(await store.claimHolder('prod', 'backend')).toBe('first');
  });

  it('keeps the claim while its request moves on unfinished', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    for (const state of ['approved', 'running'] as const)
      await store.update('first', (current) => ({ request: { ...current, state }, result: 1 }));
    expect(await store.claimHolder('prod', 'backend')).toBe('first');
    expect(await store.createClaimed(pendingRequest({ id: 'second' }), CLAIM_MS)).toEqual({
      service: 'backend',
      holder: 'first',
    });
  });

  describe.each([...FINISHED_STATES])('when its request ends %s', (state) => {
    beforeEach(async () => {
      await store.createClaimed(stopAll('first'), CLAIM_MS);
      await store.update('first', (current) => ({
        request: { ...current, state, finishedAt: '2026-12-01T03:20:00.000Z' },
        result: true,
      }));
    });

    it('frees every service in the same write: no claim outlives the request', async () => {
      expect(await store.claimHolder('prod', 'backend')).toBeUndefined();
      expect(await store.claimHolder('prod', 'frontend')).toBeUndefined();
    });

    it('gives the service to the next request at once', async () => {
      expect(await store.createClaimed(pendingRequest({ id: 'second' }), CLAIM_MS)).toBeUndefined();
      expect(await store.claimHolder('prod', 'backend')).toBe('second');
    });
  });

  it('frees nothing of another request when one finishes', async () => {
    await store.create(pendingRequest({ id: 'other' }));
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    await store.update('other', (current) => ({ request: finished(current), result: true }));
    expect(await store.claimHolder('prod', 'backend')).toBe('first');
  });

  it('holds the service for as long as the lifetime it was given', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), 60_000);
    await subject.elapse(CLAIM_MS + 200);
    expect(await store.createClaimed(pendingRequest({ id: 'second' }), CLAIM_MS)).toEqual({
      service: 'backend',
      holder: 'first',
    });
  });

  it('frees the service once that lifetime has passed, even if the request never finishes', async () => {
    await store.createClaimed(pendingRequest({ id: 'first' }), CLAIM_MS);
    await subject.elapse(CLAIM_MS + 200);
    expect(await store.claimHolder('prod', 'backend')).toBeUndefined();
    expect(await store.createClaimed(pendingRequest({ id: 'second' }), CLAIM_MS)).toBeUndefined();
  });
}
