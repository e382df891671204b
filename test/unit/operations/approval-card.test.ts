import { describe, expect, it } from 'vitest';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { approvalCard } from '../../../src/operations/approval-card.js';
import { planDigest } from '../../../src/core/requests/plan-digest.js';

const planned: OperationRequest = {
  id: 'r7f3a2c',
  environment: 'prod',
  operation: 'scale',
  target: 'backend',
  steps: [
    {
      service: 'backend',
      change: { kind: 'scale', replicas: 3 },
      before: {
        image: 'registry:5000/tas/backend:5.15.2',
        imageTag: '5.15.2',
        desired: 1,
        running: 1,
        version: 32,
        fingerprint: 'abc',
        forceUpdate: 0,
      },
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
const pending: OperationRequest = { ...planned, planDigest: planDigest(planned) };

describe('approvalCard', () => {
  it('says exactly what will change, who may approve and until when', async () => {
    await expect(JSON.stringify(approvalCard(pending), null, 2)).toMatchFileSnapshot(
      '../../fixtures/golden/approval-card-pending.json',
    );
  });

  it('offers Approve and Reject only while the request is pending', () => {
    expect(approvalCard(pending).buttons?.map((b) => b.label)).toEqual(['Approve', 'Reject']);
    for (const state of [
      'approved',
      'running',
      'succeeded',
      'failed',
      'rejected',
      'expired',
      'cancelled',
      'drifted',
    ] as const) {
      expect(approvalCard({ ...pending, state }).buttons).toBeUndefined();
    }
  });

  it('shows the rejection and its reason', () => {
    const card = approvalCard({
      ...pending,
      state: 'rejected',
      rejection: { person: 'erin', at: pending.createdAt, reason: 'DB is down' },
    });
    expect(card.title).toBe('scale prod_backend — rejected [r7f3a2c]');
    expect(JSON.stringify(card.blocks)).toContain('"value":"erin: DB is down"');
  });

  describe('when the step changes the image', () => {
    const imageStep = (image: string, describe: string): OperationRequest => ({
      ...pending,
      operation: 'rollback',
      steps: [
        {
          service: 'backend',
          change: { kind: 'image', image },
          before: {
            image: 'ghcr.io/acme/app:5.15.2',
            imageTag: '5.15.2',
            desired: 1,
            running: 1,
            version: 32,
            fingerprint: 'abc',
            forceUpdate: 0,
          },
          describe,
          state: 'planned',
        },
      ],
    });
    const rows = (request: OperationRequest) => {
      const block = approvalCard(request).blocks[0];
      return block?.kind === 'rows' ? block.rows : [];
    };

    it('shows a tag rollback with both full references and no repository warning', () => {
      const card = rows(
        imageStep(
          'ghcr.io/acme/app:5.15.1',
          'image 5.15.2→5.15.1 (ghcr.io/acme/app:5.15.2 → ghcr.io/acme/app:5.15.1)',
        ),
      );
      expect(card).toEqual([
        {
          label: 'backend',
          value:
            'image 5.15.2→5.15.1 (ghcr.io/acme/app:5.15.2 → ghcr.io/acme/app:5.15.1) (spec version 32)',
          tone: 'info',
        },
      ]);
    });

    it('gives a repository change a loud line of its own', () => {
      const card = rows(
        imageStep(
          'ghcr.io/evil/app:5.15.2',
          'image ghcr.io/acme/app:5.15.2 → ghcr.io/evil/app:5.15.2',
        ),
      );
      expect(card[1]).toEqual({
        label: 'backend',
        value: '⚠ image repository changes: ghcr.io/acme/app → ghcr.io/evil/app',
        tone: 'fail',
      });
    });

    it('warns from the change itself, even when the description was made to read like a tag change', () => {
      const card = rows(imageStep('ghcr.io/evil/app:5.15.1', 'image 5.15.2→5.15.1'));
      expect(card.map((r) => r.value)).toContain(
        '⚠ image repository changes: ghcr.io/acme/app → ghcr.io/evil/app',
      );
    });
  });

  it('shows the short plan digest reviewers can compare with the audit trail', () => {
    expect(JSON.stringify(approvalCard(pending).blocks)).toContain(
      `"label":"Plan digest","value":"${pending.planDigest?.slice(0, 19) ?? ''}"`,
    );
  });
});
