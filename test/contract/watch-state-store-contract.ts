import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WatchState, WatchStateStore } from '../../src/core/ports/watch-state-store.js';

export interface WatchStateStoreSubject {
  readonly store: WatchStateStore;
  close?(): Promise<void>;
}

const state = (checks: number, environment = 'prod'): WatchState => ({
  environment,
  verdict: 'OK',
  verdictSince: '2026-12-01T08:00:00.000Z',
  problems: [],
  consecutiveFailures: 0,
  escalations: 0,
  checks,
});

const bump = (current: WatchState | undefined) => {
  const checks = (current?.checks ?? 0) + 1;
  return { state: state(checks, current?.environment), result: checks };
};

/** What every watch state store does: the watcher's ticks never lose or double an update. */
export function watchStateStoreContract(make: () => Promise<WatchStateStoreSubject>): void {
  let subject: WatchStateStoreSubject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject.close?.();
  });

  it('has no state for an environment never written', async () => {
    expect(await subject.store.get('prod')).toBeUndefined();
  });

  describe('when a change is written', () => {
    it('reads back the state written and answers with the change’s result', async () => {
      expect(await subject.store.update('prod', bump)).toBe(1);
      expect(await subject.store.get('prod')).toEqual(state(1));
    });

    it('hands the next change the state written before', async () => {
      await subject.store.update('prod', bump);
      let seen: WatchState | undefined;
      await subject.store.update('prod', (current) => {
        seen = current;
        return bump(current);
      });
      expect(seen).toEqual(state(1));
      expect((await subject.store.get('prod'))?.checks).toBe(2);
    });

    it('keeps environments apart', async () => {
      await subject.store.update('prod', bump);
      expect(await subject.store.get('staging')).toBeUndefined();
    });
  });

  describe('when the change declines', () => {
    it('writes nothing and answers nothing', async () => {
      await subject.store.update('prod', bump);
      expect(await subject.store.update('prod', () => undefined)).toBeUndefined();
      expect(await subject.store.get('prod')).toEqual(state(1));
    });
  });

  describe('when many ticks finish at once', () => {
    it('loses no update and gives each its own result', async () => {
      const results = await Promise.all(
        Array.from({ length: 25 }, () => subject.store.update('prod', bump)),
      );
      expect((await subject.store.get('prod'))?.checks).toBe(25);
      expect([...results].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
    });
  });
}
