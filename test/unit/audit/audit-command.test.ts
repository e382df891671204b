import { describe, expect, it } from 'vitest';
import type { AuditInput } from '../../../src/audit/audit-entry.js';
import type { AuditLog } from '../../../src/audit/audit-log.js';
import { auditCommand } from '../../../src/commands/audit.js';
import type { Invocation } from '../../../src/core/command.js';
import { UserError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import type { ReplyBlock } from '../../../src/core/reply.js';
import { inMemoryAuditLog, tickingClock } from './in-memory-audit-log.js';

function invocation(positional: string[] = [], environment = 'prod'): Invocation {
  return {
    event: {
      id: 'ev1',
      platform: 'console',
      userId: 'alice',
      channelId: 'ops',
      text: 'audit',
      receivedAt: new Date('2024-05-01T18:00:00Z'),
    },
    identity: { person: 'alice', roles: new Set(['oncall']) },
    environment,
    args: { positional, flags: {} },
    log: silentLogger,
    correlationId: 'ref1',
  };
}

const step = (
  kind: AuditInput['kind'],
  actor: string,
  requestId: string,
  extra: Partial<AuditInput> = {},
): AuditInput => ({
  kind,
  environment: 'prod',
  actor,
  requestId,
  summary: `${kind} by ${actor}`,
  ...extra,
});

async function record(audit: AuditLog, inputs: readonly AuditInput[]): Promise<void> {
  for (const input of inputs) await audit.append(input);
}

function rows(blocks: readonly ReplyBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.kind === 'rows' ? block.rows.map((row) => `${row.tone} ${row.label} ${row.value}`) : [],
  );
}

const restart = { operation: 'restart', service: 'backend' } as const;

describe('auditCommand', () => {
  describe('when operations were recorded', () => {
    it('shows one row per operation, newest first, with who asked, who approved and how it went', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z'));
      await record(audit, [
        step('request', 'alice', 'r1', restart),
        step('request', 'bob', 'r2', { operation: 'scale', service: 'frontend' }),
        step('vote', 'dave', 'r1', restart),
        step('start', 'system', 'r1', restart),
        step('progress', 'system', 'r1', restart),
        step('reject', 'erin', 'r2'),
        step('result', 'system', 'r1', { ...restart, details: { ok: true } }),
        step('verification', 'system', 'r1', { ...restart, details: { ok: true } }),
        step('request', 'alice', 'r3', { operation: 'stop', service: 'backend-cron' }),
        step('expire', 'system', 'r3'),
      ]);
      const reply = await auditCommand({ audit }).run(invocation());
      expect(reply.title).toBe('Last 3 privileged operations in prod');
      expect(rows(reply.blocks)).toEqual([
        'info 12:12 stop backend-cron · requested by alice · expired',
        'info 12:05 scale frontend · requested by bob · rejected by erin',
        'ok 12:04 restart backend · requested by alice · approved by dave · succeeded (verified)',
      ]);
    });

    it('says how the operation was verified when the result records it', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z'));
      await record(audit, [
        step('request', 'alice', 'r1', restart),
        step('vote', 'dave', 'r1'),
        step('result', 'system', 'r1', {
          details: { ok: true, verifiedBy: 'deployment completed, 1/1 running' },
        }),
      ]);
      const reply = await auditCommand({ audit }).run(invocation());
      expect(rows(reply.blocks)).toEqual([
        'ok 12:04 restart backend · requested by alice · approved by dave · succeeded (verified: deployment completed, 1/1 running)',
      ]);
    });

    it('marks a failed result or a failed verification', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z'));
      await record(audit, [
        step('request', 'alice', 'r1', restart),
        step('vote', 'dave', 'r1'),
        step('vote', 'erin', 'r1'),
        step('result', 'system', 'r1', { details: { ok: true } }),
        step('verification', 'system', 'r1', { details: { ok: false } }),
        step('break-glass', 'dave', 'r2', restart),
        step('result', 'system', 'r2', { details: { ok: false } }),
      ]);
      const reply = await auditCommand({ audit }).run(invocation());
      expect(rows(reply.blocks)).toEqual([
        'fail 12:09 restart backend · break-glass by dave · failed',
        'fail 12:04 restart backend · requested by alice · approved by dave, erin · succeeded (verification failed)',
      ]);
    });

    it('shows operations still under way as such', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z'));
      await record(audit, [
        step('request', 'alice', 'r1', restart),
        step('request', 'bob', 'r2', restart),
        step('vote', 'dave', 'r2'),
        step('start', 'system', 'r2'),
      ]);
      const reply = await auditCommand({ audit }).run(invocation());
      expect(rows(reply.blocks)).toEqual([
        'warn 12:05 restart backend · requested by bob · approved by dave · running',
        'info 12:04 restart backend · requested by alice · awaiting approval',
      ]);
    });

    it('dates operations from another day than the question', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-04-30T23:59:00Z'));
      await record(audit, [step('request', 'alice', 'r1', restart)]);
      const reply = await auditCommand({ audit }).run(invocation());
      expect(rows(reply.blocks)).toEqual([
        'info 2024-04-30 23:59 restart backend · requested by alice · awaiting approval',
      ]);
    });

    it('returns the entries of the operations shown as data, newest first, progress left out', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z'));
      await record(audit, [
        step('request', 'alice', 'r1', restart),
        step('progress', 'system', 'r1'),
        step('vote', 'dave', 'r1'),
      ]);
      const reply = await auditCommand({ audit }).run(invocation());
      expect(reply.data).toEqual([audit.entries[2], audit.entries[0]]);
    });

    it('shows only the invocation environment', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z'));
      await record(audit, [
        step('request', 'alice', 'r1', restart),
        { ...step('request', 'dave', 'r2', restart), environment: 'staging' },
      ]);
      const reply = await auditCommand({ audit }).run(invocation([], 'staging'));
      expect(rows(reply.blocks)).toEqual([
        'info 12:05 restart backend · requested by dave · awaiting approval',
      ]);
    });

    it('shows the last n operations when asked for n, 10 when not', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:00:00Z'));
      for (let i = 0; i < 12; i += 1)
        await audit.append(step('request', 'alice', `r${i}`, restart));
      expect(rows((await auditCommand({ audit }).run(invocation(['2']))).blocks)).toHaveLength(2);
      expect(rows((await auditCommand({ audit }).run(invocation())).blocks)).toHaveLength(10);
    });

    it('leaves out operations whose request is older than what it read', async () => {
      const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:00:00Z'));
      await record(audit, [step('request', 'alice', 'old', restart)]);
      // More entries than `audit 2` reads (20 per operation), so its request falls outside.
      for (let i = 0; i < 45; i += 1) await audit.append(step('vote', `voter${i}`, 'old'));
      await record(audit, [step('request', 'bob', 'new', restart)]);
      const reply = await auditCommand({ audit }).run(invocation(['2']));
      expect(rows(reply.blocks)).toEqual([
        'info 12:46 restart backend · requested by bob · awaiting approval',
      ]);
    });
  });

  describe('when nothing was recorded in the environment', () => {
    it('says so', async () => {
      const reply = await auditCommand({
        audit: inMemoryAuditLog(tickingClock('2024-05-01T12:00:00Z')),
      }).run(invocation());
      expect(reply.title).toBe('No privileged operations recorded in prod yet.');
      expect(reply.data).toEqual([]);
    });
  });

  describe('when n is malformed', () => {
    it.each([['0'], ['51'], ['ten'], ['-3'], ['2.5'], ['1e1'], ['3', '4']])(
      'refuses %s with the usage',
      async (...positional) => {
        const command = auditCommand({
          audit: inMemoryAuditLog(tickingClock('2024-05-01T12:00:00Z')),
          slash: '/ops',
        });
        const run = command.run(invocation(positional));
        await expect(run).rejects.toBeInstanceOf(UserError);
        await expect(run).rejects.toMatchObject({
          code: 'USAGE',
          details: ['Usage: `/ops audit [n]`'],
        });
      },
    );
  });
});
