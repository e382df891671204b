import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/audit/verify-audit-log.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, refusal } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  person,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

const bob = person('bob', 'oncall');
const reason = 'checkout is down, no lead answers';

describe('a break-glass restart', () => {
  let ops: MemoryOperations;
  beforeEach(() => {
    ops = createMemoryOperations({
      config: lifecycleConfig({ breakGlass: ['oncall'] }),
      services: prodServices,
    });
  });

  describe('when someone with the break-glass role gives a reason', () => {
    beforeEach(async () => {
      await askRestart(ops, 'backend', { identity: bob, breakGlass: { reason } });
    });

    it('queues the execution at once, with no approval and no expiry', async () => {
      expect(ops.queue.jobs().map((job) => `${job.kind} ${job.requestId}`)).toEqual(['execute r1']);
      expect(await ops.deps.store.get('r1')).toMatchObject({
        state: 'approved',
        breakGlass: true,
        approvals: [],
      });
    });

    it('tells the ops channel loudly who runs what and why', () => {
      expect(ops.notifier.notices[0]).toMatchObject({
        to: 'channel',
        environment: 'prod',
        channel: 'ops',
        reply: {
          title: 'BREAK-GLASS: bob runs restart backend in prod without approval',
          blocks: [{ kind: 'text', text: `Reason: ${reason}` }, { kind: 'text' }],
        },
      });
    });

    it('restarts the service and marks the audit trail', async () => {
      await ops.runDue();
      expect(ops.swarm.inspect('backend')?.forceUpdate).toBe(1);
      const kinds = (await ops.audit.recent(10)).map((e) => e.kind).reverse();
      expect(kinds).toEqual(['break-glass', 'start', 'result']);
      const [first] = await ops.audit.recent(1, { kinds: ['break-glass'] });
      expect(first?.summary).toContain(`BREAK-GLASS restart backend`);
      expect(await verifyAuditLog(ops.audit)).toEqual({ ok: true, count: 3 });
    });
  });

  describe('when the person lacks the break-glass role', () => {
    it('refuses and queues nothing', async () => {
      const refused = await refusal(
        askRestart(ops, 'backend', { identity: person('dave', 'lead'), breakGlass: { reason } }),
      );
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toBe('Break-glass restart is not open to you in `prod`.');
      expect(ops.queue.jobs()).toEqual([]);
      expect(ops.notifier.notices).toEqual([]);
    });
  });

  describe('when the reason is too short to say anything', () => {
    it('refuses and queues nothing', async () => {
      const refused = await refusal(
        askRestart(ops, 'backend', { identity: bob, breakGlass: { reason: 'now' } }),
      );
      expect(refused.code).toBe('USAGE');
      expect(refused.message).toContain('Break-glass needs a reason');
      expect(ops.queue.jobs()).toEqual([]);
    });
  });
});
