import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditInput } from '../../../src/audit/audit-entry.js';
import type { AuditLog } from '../../../src/audit/audit-log.js';
import { verifyAuditLog } from '../../../src/audit/verify-audit-log.js';
import { verifyAudit } from '../../../src/cli/audit-verify.js';
import { auditCommand } from '../../../src/commands/audit.js';
import type { Invocation } from '../../../src/core/command.js';
import { DependencyError } from '../../../src/core/errors.js';
import type { Clock } from '../../../src/core/ports/clock.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { createRedisAuditLog } from '../../../src/infra/redis/redis-audit-log.js';
import { connectRedis } from './connect-redis.js';

/** A clock that moves on by one minute per reading. */
function tickingClock(start: string): Clock {
  let next = new Date(start).getTime();
  return { now: () => new Date((next += 60_000) - 60_000) };
}

const input = (overrides: Partial<AuditInput> = {}): AuditInput => ({
  kind: 'progress',
  environment: 'prod',
  actor: 'system',
  requestId: 'r1',
  summary: 'step',
  ...overrides,
});

async function collect(audit: AuditLog): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const entry of audit.all()) entries.push(entry);
  return entries;
}

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { out, text: () => chunks.join('') };
}

describe('createRedisAuditLog', () => {
  let key: string;
  const clients: Redis[] = [];
  const clock = tickingClock('2024-05-01T12:00:00Z');

  /** Each call is its own connection, standing in for its own process (bot, worker). */
  async function openLog(
    options: { pageSize?: number } = {},
  ): Promise<{ audit: AuditLog; redis: Redis }> {
    const redis = await connectRedis();
    clients.push(redis);
    return { audit: createRedisAuditLog({ redis, key, clock, ...options }), redis };
  }

  beforeEach(() => {
    key = `tas:test:${randomUUID()}`;
  });

  afterEach(async () => {
    await clients[0]?.del(key, `${key}:waiting`);
    await Promise.all(clients.splice(0).map((client) => client.quit()));
  });

  describe('when three processes append at once', () => {
    async function expectOneChain(appended: readonly AuditEntry[]): Promise<void> {
      expect(appended.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 150 }, (_, i) => i + 1),
      );
      const { audit, redis } = await openLog();
      expect(await redis.llen(key)).toBe(150);
      expect(await verifyAuditLog(audit)).toEqual({ ok: true, count: 150 });
      const stored = await collect(audit);
      expect(stored).toEqual([...appended].sort((a, b) => a.seq - b.seq));
      for (const w of [0, 1, 2])
        expect(stored.filter((entry) => entry.actor === `writer${w}`)).toHaveLength(50);
    }

    it('forms one intact chain with unique, gapless seqs from 50 appends each in one burst', async () => {
      const writers = await Promise.all([openLog(), openLog(), openLog()]);
      const appended = await Promise.all(
        writers.flatMap(({ audit }, w) =>
          Array.from({ length: 50 }, (_, i) =>
            audit.append(input({ actor: `writer${w}`, summary: `step ${i}` })),
          ),
        ),
      );
      await expectOneChain(appended);
    });

    it('forms one intact chain when each appends 50 times one after another, none starving', async () => {
      const writers = await Promise.all([openLog(), openLog(), openLog()]);
      const appended = await Promise.all(
        writers.map(async ({ audit }, w) => {
          const mine: AuditEntry[] = [];
          for (let i = 0; i < 50; i += 1)
            mine.push(await audit.append(input({ actor: `writer${w}`, summary: `step ${i}` })));
          return mine;
        }),
      );
      await expectOneChain(appended.flat());
    });
  });

  describe('when another process appended since this one last did', () => {
    it('chains onto the current tail', async () => {
      const [first, second] = await Promise.all([openLog(), openLog()]);
      const a1 = await first.audit.append(input({ summary: 'a1' }));
      const b1 = await second.audit.append(input({ summary: 'b1' }));
      const a2 = await first.audit.append(input({ summary: 'a2' }));
      expect([a1.seq, b1.seq, a2.seq]).toEqual([1, 2, 3]);
      expect(a2.prevHash).toBe(b1.hash);
      expect(await verifyAuditLog(first.audit)).toEqual({ ok: true, count: 3 });
    });
  });

  describe('when a process starts against an existing trail', () => {
    it('continues the chain from what Redis holds', async () => {
      const before = await openLog();
      for (let i = 0; i < 3; i += 1) await before.audit.append(input({ summary: `before ${i}` }));
      const last = (await before.audit.recent(1))[0]!;
      await before.redis.quit();
      clients.splice(clients.indexOf(before.redis), 1);

      const after = await openLog();
      const next = await after.audit.append(input({ summary: 'after restart' }));
      expect(next).toMatchObject({ seq: 4, prevHash: last.hash });
      expect(await verifyAuditLog(after.audit)).toEqual({ ok: true, count: 4 });
    });
  });

  it('stores each entry as the JSON it returned, one list element per entry, oldest first', async () => {
    const { audit, redis } = await openLog();
    const entry = await audit.append(input({ details: { replicas: { from: 1, to: 3 } } }));
    expect((await redis.lrange(key, 0, -1)).map((text) => JSON.parse(text) as unknown)).toEqual([
      entry,
    ]);
  });

  describe('when a stored entry is tampered with', () => {
    async function trailOf(count: number) {
      const log = await openLog();
      for (let i = 0; i < count; i += 1) await log.audit.append(input({ summary: `step ${i}` }));
      return log;
    }

    it('reports the edited entry (LSET) as a hash mismatch and exits 1', async () => {
      const { audit, redis } = await trailOf(5);
      const third = JSON.parse((await redis.lindex(key, 2))!) as AuditEntry;
      await redis.lset(key, 2, JSON.stringify({ ...third, actor: 'mallory' }));
      const { out, text } = sink();
      expect(await verifyAudit(audit, out)).toBe(1);
      expect(text()).toBe('✗ audit chain broken at entry 3: hash mismatch\n');
    });

    it('reports an entry overwritten with garbage as a hash mismatch', async () => {
      const { audit, redis } = await trailOf(5);
      await redis.lset(key, 3, 'garbage');
      expect(await verifyAuditLog(audit)).toEqual({
        ok: false,
        count: 3,
        brokenAt: 4,
        reason: 'hash mismatch',
      });
    });

    it('reports a removed entry as a sequence gap and refuses to extend that trail', async () => {
      const { redis } = await trailOf(5);
      await redis.lrem(key, 1, (await redis.lindex(key, 1))!);
      const { audit } = await openLog();
      expect(await verifyAuditLog(audit)).toEqual({
        ok: false,
        count: 1,
        brokenAt: 2,
        reason: 'sequence gap',
      });
      await expect(audit.append(input())).rejects.toThrow(
        `${key} holds 4 entries but the last one says it is entry 5`,
      );
    });
  });

  it('prints that an intact trail is intact and exits 0', async () => {
    const { audit } = await openLog();
    for (let i = 0; i < 3; i += 1) await audit.append(input());
    const { out, text } = sink();
    expect(await verifyAudit(audit, out)).toBe(0);
    expect(text()).toBe('✓ audit chain intact: 3 entries\n');
  });

  describe('recent', () => {
    async function mixedTrail(): Promise<{ audit: AuditLog; entries: AuditEntry[] }> {
      // A small page size, so reads cross page boundaries.
      const { audit } = await openLog({ pageSize: 3 });
      const entries: AuditEntry[] = [];
      const inputs: AuditInput[] = [
        input({ kind: 'request', requestId: 'r1', service: 'backend' }),
        input({ kind: 'request', requestId: 'r2', service: 'frontend', environment: 'staging' }),
        input({ kind: 'vote', requestId: 'r1', service: 'backend', actor: 'dave' }),
        input({ kind: 'progress', requestId: 'r1', service: 'backend' }),
        input({
          kind: 'vote',
          requestId: 'r2',
          service: 'frontend',
          environment: 'staging',
          actor: 'erin',
        }),
        input({ kind: 'result', requestId: 'r1', service: 'backend' }),
        {
          kind: 'escalation',
          environment: 'prod',
          actor: 'system',
          service: 'frontend',
          summary: 'escalated',
        },
      ];
      for (const item of inputs) entries.push(await audit.append(item));
      return { audit, entries };
    }

    const seqs = (entries: readonly AuditEntry[]) => entries.map((entry) => entry.seq);

    it('returns the newest n entries, newest first', async () => {
      const { audit } = await mixedTrail();
      expect(seqs(await audit.recent(4))).toEqual([7, 6, 5, 4]);
      expect(seqs(await audit.recent(100))).toEqual([7, 6, 5, 4, 3, 2, 1]);
      expect(await audit.recent(0)).toEqual([]);
    });

    it('filters by environment, request, service and kinds, all of them at once', async () => {
      const { audit, entries } = await mixedTrail();
      expect(seqs(await audit.recent(10, { environment: 'staging' }))).toEqual([5, 2]);
      expect(seqs(await audit.recent(10, { requestId: 'r1' }))).toEqual([6, 4, 3, 1]);
      expect(seqs(await audit.recent(10, { service: 'frontend' }))).toEqual([7, 5, 2]);
      expect(seqs(await audit.recent(10, { kinds: ['request', 'vote'] }))).toEqual([5, 3, 2, 1]);
      expect(
        await audit.recent(10, { environment: 'prod', service: 'backend', kinds: ['vote'] }),
      ).toEqual([entries[2]]);
      expect(seqs(await audit.recent(1, { requestId: 'r2' }))).toEqual([5]);
      expect(await audit.recent(10, { environment: 'nowhere' })).toEqual([]);
    });
  });

  describe('all', () => {
    it.each([[7], [9]])(
      'reads every one of %i entries once, oldest first, page by page',
      async (count) => {
        const { audit } = await openLog({ pageSize: 3 });
        for (let i = 0; i < count; i += 1) await audit.append(input());
        expect((await collect(audit)).map((entry) => entry.seq)).toEqual(
          Array.from({ length: count }, (_, i) => i + 1),
        );
      },
    );

    it('reads an empty trail as no entries', async () => {
      const { audit } = await openLog();
      expect(await collect(audit)).toEqual([]);
    });
  });

  describe('when Redis cannot be reached', () => {
    it('fails with a redis DependencyError', async () => {
      const { audit, redis } = await openLog();
      await redis.quit();
      clients.splice(clients.indexOf(redis), 1);
      await expect(audit.append(input())).rejects.toMatchObject({
        name: 'DependencyError',
        dependency: 'redis',
      });
      await expect(audit.recent(1)).rejects.toBeInstanceOf(DependencyError);
    });
  });

  describe('the audit command', () => {
    it('lists the environment operations recorded in Redis', async () => {
      const { audit } = await openLog();
      const restart = { operation: 'restart', service: 'backend' } as const;
      await audit.append(input({ kind: 'request', actor: 'alice', ...restart }));
      await audit.append(input({ kind: 'vote', actor: 'dave', ...restart }));
      await audit.append(input({ kind: 'start', ...restart }));
      await audit.append(input({ kind: 'result', details: { ok: true }, ...restart }));
      await audit.append(input({ kind: 'verification', details: { ok: true }, ...restart }));
      await audit.append(
        input({
          kind: 'request',
          actor: 'bob',
          requestId: 'r9',
          environment: 'staging',
          ...restart,
        }),
      );

      const invocation: Invocation = {
        event: {
          id: 'ev1',
          platform: 'console',
          userId: 'alice',
          channelId: 'ops',
          text: 'audit',
          receivedAt: new Date('2024-05-01T13:00:00Z'),
        },
        identity: { person: 'alice', roles: new Set(['oncall']) },
        environment: 'prod',
        args: { positional: [], flags: {} },
        log: silentLogger,
        correlationId: 'ref1',
      };
      const reply = await auditCommand({ audit }).run(invocation);
      expect(reply.blocks[0]).toEqual({
        kind: 'rows',
        rows: [
          {
            label: expect.stringMatching(/^\d\d:\d\d$/) as unknown,
            value: 'restart backend · requested by alice · approved by dave · succeeded (verified)',
            tone: 'ok',
          },
        ],
      });
      expect((reply.data as AuditEntry[]).map((entry) => entry.kind)).toEqual([
        'verification',
        'result',
        'start',
        'vote',
        'request',
      ]);
      expect(
        await auditCommand({ audit }).run({ ...invocation, environment: 'test' }),
      ).toMatchObject({
        title: 'No privileged operations recorded in test yet.',
      });
    });
  });
});
