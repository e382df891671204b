import { describe, expect, it } from 'vitest';
import { oneEnvironment } from '../../fakes/one-environment.js';
import { planDigest } from '../../../src/core/requests/plan-digest.js';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { planRefusal } from '../../../src/operations/plan-refusal.js';

const planned: OperationRequest = {
  id: 'r1',
  environment: 'prod',
  operation: 'rollback',
  target: 'backend',
  steps: [
    {
      service: 'backend',
      change: { kind: 'image', image: 'ghcr.io/acme/app:5.15.1' },
      before: {
        image: 'ghcr.io/acme/app:5.15.2',
        imageTag: '5.15.2',
        desired: 1,
        running: 1,
        version: 7,
        fingerprint: 'f',
        forceUpdate: 0,
      },
      describe: 'image 5.15.2→5.15.1 (ghcr.io/acme/app:5.15.2 → ghcr.io/acme/app:5.15.1)',
      state: 'planned',
    },
  ],
  requester: 'alice',
  breakGlass: false,
  createdAt: '2026-12-01T03:10:00.000Z',
  expiresAt: '2026-12-01T03:25:00.000Z',
  state: 'running',
  required: 1,
  approverRoles: ['lead'],
  approvals: [{ person: 'dave', at: '2026-12-01T03:11:00.000Z' }],
  origin: { platform: 'slack', channelId: 'C01OPS' },
};
const request: OperationRequest = { ...planned, planDigest: planDigest(planned) };

const withImage = (image: string): OperationRequest => ({
  ...request,
  steps: request.steps.map((step) => ({ ...step, change: { kind: 'image', image } })),
});

describe('planRefusal', () => {
  it('lets the plan the card showed run', () => {
    expect(planRefusal(oneEnvironment(), request)).toBeUndefined();
  });

  it('ignores what changes during execution: step states, notes, votes', () => {
    const running: OperationRequest = {
      ...request,
      approvals: [...request.approvals, { person: 'erin', at: request.createdAt }],
      steps: request.steps.map((s) => ({
        ...s,
        state: 'applying',
        note: 'x',
        startedAt: request.createdAt,
      })),
    };
    expect(planRefusal(oneEnvironment(), running)).toBeUndefined();
  });

  describe('when the stored plan was altered after the card was shown', () => {
    it('refuses a changed image, naming both digests', () => {
      expect(planRefusal(oneEnvironment(), withImage('ghcr.io/acme/app:5.15.0'))).toMatch(
        /^the stored plan \(sha256:[0-9a-f]{12}\) is not the one the card showed \(sha256:[0-9a-f]{12}\); nothing was applied$/,
      );
    });

    it('refuses a changed description, replica count or service', () => {
      const step = request.steps[0];
      if (step === undefined) throw new Error('no step');
      for (const altered of [
        { ...step, describe: 'image 5.15.2→5.15.0' },
        { ...step, change: { kind: 'scale' as const, replicas: 9 } },
        { ...step, service: 'frontend' },
      ]) {
        expect(planRefusal(oneEnvironment(), { ...request, steps: [altered] })).toMatch(
          /^the stored plan/,
        );
      }
    });

    it('refuses a repository swap even when the digest was rewritten to match', () => {
      const swapped = withImage('ghcr.io/evil/app:5.15.1');
      const refusal = planRefusal(oneEnvironment(), {
        ...swapped,
        planDigest: planDigest(swapped),
      });
      expect(refusal).toMatch(
        /^Refused: this would change the image repository of backend from ghcr\.io\/acme\/app to ghcr\.io\/evil\/app .* Nothing was applied\.$/,
      );
    });
  });

  it('refuses a request stored without a digest', () => {
    expect(planRefusal(oneEnvironment(), planned)).toMatch(/carries no plan digest/);
  });
});
