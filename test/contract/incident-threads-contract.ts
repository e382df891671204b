import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentThreadStore } from '../../src/core/ports/watch-state-store.js';

export interface IncidentThreadsSubject {
  readonly threads: IncidentThreadStore;
  close?(): Promise<void>;
}

const slack = { channelId: 'C01OPS', ref: '1733022000.000100' };
const discord = { channelId: '222222222222222222', ref: '1311', threadId: '1312' };

/** What every incident thread store does: later notices find the opening post, per platform. */
export function incidentThreadsContract(make: () => Promise<IncidentThreadsSubject>): void {
  let subject: IncidentThreadsSubject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject.close?.();
  });

  it('knows no thread of an incident never recorded', async () => {
    expect(await subject.threads.get('prod', 'i1')).toEqual({});
  });

  describe('when the opening post went to two platforms', () => {
    it('gives back the thread of each', async () => {
      await subject.threads.record('prod', 'i1', 'slack', slack);
      await subject.threads.record('prod', 'i1', 'discord', discord);
      expect(await subject.threads.get('prod', 'i1')).toEqual({ slack, discord });
    });

    it('keeps other incidents and environments apart', async () => {
      await subject.threads.record('prod', 'i1', 'slack', slack);
      expect(await subject.threads.get('prod', 'i2')).toEqual({});
      expect(await subject.threads.get('staging', 'i1')).toEqual({});
    });
  });

  describe('when a platform’s thread is recorded again', () => {
    it('keeps the newer one', async () => {
      await subject.threads.record('prod', 'i1', 'slack', slack);
      await subject.threads.record('prod', 'i1', 'slack', { ...slack, ref: '2' });
      expect(await subject.threads.get('prod', 'i1')).toEqual({ slack: { ...slack, ref: '2' } });
    });
  });
}
