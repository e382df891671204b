import { describe, expect, it } from 'vitest';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { approvalCard } from '../../../src/operations/approval-card.js';

const pending: OperationRequest = {
  id: 'r7f3a2c',
  environment: 'prod',
  operation: 'scale',
  target: 'backend',
  steps: [
    {
      service: 'backend',
      change: { kind: 'scale', replicas: 3 },
      before: { image: 'registry/tas/backend:5.15.2', imageTag: '5.15.2', desired: 1, running: 1, version: 32, fingerprint: 'abc', forceUpdate: 0 },
      describe: 'replicas 1→3',
      state: 'planned',
    },
  ],
  requester: 'alice',
  breakGlass: false,
  createdAt: '2026-12-01T03:10:00.000Z',
  expiresAt: '2026-12-01T03:25:00.000Z',
  state: 'pending',
  required: 2,
  approverRoles: ['lead'],
  approvals: [{ person: 'dave', at: '2026-12-01T03:11:00.000Z' }],
  origin: { platform: 'slack', channelId: 'C01OPS' },
};

describe('approvalCard', () => {
  it('says exactly what will change, who may approve and until when', async () => {
    await expect(JSON.stringify(approvalCard(pending), null, 2)).toMatchFileSnapshot('../../fixtures/golden/approval-card-pending.json');
  });

  it('offers Approve and Reject only while the request is pending', () => {
    expect(approvalCard(pending).buttons?.map((b) => b.label)).toEqual(['Approve', 'Reject']);
    for (const state of ['approved', 'running', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled', 'drifted'] as const) {
      expect(approvalCard({ ...pending, state }).buttons).toBeUndefined();
    }
  });

  it('shows the rejection and its reason', () => {
    const card = approvalCard({ ...pending, state: 'rejected', rejection: { person: 'erin', at: pending.createdAt, reason: 'DB is down' } });
    expect(card.title).toBe('scale prod_backend — rejected [r7f3a2c]');
    expect(JSON.stringify(card.blocks)).toContain('"value":"erin: DB is down"');
  });
});
