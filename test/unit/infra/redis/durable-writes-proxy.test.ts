import { describe, expect, it } from 'vitest';
import { durableWrites, type Durability } from '../../../../src/infra/redis/durable-writes.js';
import { withReplicaCheck } from '../../../../src/infra/redis/durability-canary.js';
import { readinessChecks } from '../../../../src/app/readiness-checks.js';

function recordingDurability(events: string[]): Durability {
  return {
    wait: { replicas: 1, timeoutMs: 100 },
    confirm: () => {
      events.push('WAIT');
      return Promise.resolve();
    },
    probe: () => Promise.resolve(),
    check: () => ({ ok: false, detail: '0 of 1 required replicas acknowledging' }),
  };
}

describe('durableWrites', () => {
  describe('when a listed write succeeds', () => {
    it('waits for the replicas before answering', async () => {
      const events: string[] = [];
      const port = durableWrites(
        {
          write: () => Promise.resolve(events.push('write')),
          read: () => Promise.resolve(events.push('read')),
        },
        ['write'],
        recordingDurability(events),
      );
      await port.write();
      await port.read();
      expect(events).toEqual(['write', 'WAIT', 'read']);
    });
  });

  describe('when the write fails', () => {
    it('passes the failure on without waiting', async () => {
      const events: string[] = [];
      const port = durableWrites(
        { write: () => Promise.reject(new Error('refused')) },
        ['write'],
        recordingDurability(events),
      );
      await expect(port.write()).rejects.toThrow('refused');
      expect(events).toEqual([]);
    });
  });
});

describe('readinessChecks with a replica check', () => {
  it('reports replicas that do not acknowledge as not ready', async () => {
    const canary = withReplicaCheck(
      {
        redis: () => ({ ok: true, detail: 'answers' }),
        workers: () => ({ ok: true, detail: 'canary answered 1s ago' }),
        close: () => Promise.resolve(),
      },
      recordingDurability([]),
    );
    const checks = readinessChecks(canary, []);
    expect(checks.map((c) => [c.name, c.check()])).toEqual([
      ['redis', { ok: true, detail: 'answers' }],
      ['workers', { ok: true, detail: 'canary answered 1s ago' }],
      ['replicas', { ok: false, detail: '0 of 1 required replicas acknowledging' }],
    ]);
    await canary.close();
  });
});
