import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../src/core/directory.js';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { castVote } from '../../../src/operations/cast-vote.js';

const now = new Date('2026-12-01T03:10:00Z');
const lead = (person: string): Identity => ({ person, roles: new Set(['lead']) });

function request(overrides: Partial<OperationRequest> = {}): OperationRequest {
  return {
    id: 'r1',
    environment: 'prod',
    operation: 'restart',
    target: 'backend',
    steps: [],
    requester: 'alice',
    breakGlass: false,
    createdAt: '2026-12-01T03:00:00Z',
    expiresAt: '2026-12-01T03:15:00Z',
    state: 'pending',
    required: 2,
    approverRoles: ['lead'],
    approvals: [],
    origin: { platform: 'slack', channelId: 'C1' },
    ...overrides,
  };
}

describe('castVote', () => {
  it('refuses an approval from the requester, even one who holds the approver role', () => {
    expect(
      castVote(request(), { person: 'alice', roles: new Set(['lead']) }, 'approve', now),
    ).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'VOTE_REFUSED',
        message: 'You asked for this, so someone else has to approve it.',
      }) as unknown,
    });
  });

  it('refuses a voter without an approver role', () => {
    expect(
      castVote(request(), { person: 'bob', roles: new Set(['oncall']) }, 'approve', now),
    ).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'VOTE_REFUSED',
        message: 'Only lead may approve this request.',
      }) as unknown,
    });
  });

  it('counts a second approval by the same person once', () => {
    const first = castVote(request(), lead('dave'), 'approve', now);
    if (!first.ok) throw first.error;
    expect(first.value.effect).toBe('counted');
    const again = castVote(first.value.request, lead('dave'), 'approve', now);
    expect(again.ok && again.value.effect).toBe('already-counted');
    expect(again.ok && again.value.request.approvals).toHaveLength(1);
  });

  it('approves when the count of distinct approvers is reached', () => {
    const first = castVote(request(), lead('dave'), 'approve', now);
    if (!first.ok) throw first.error;
    const second = castVote(first.value.request, lead('erin'), 'approve', now);
    expect(second.ok && second.value.effect).toBe('approved');
    expect(second.ok && second.value.request.state).toBe('approved');
  });

  it('rejects with the reason', () => {
    const rejected = castVote(request(), lead('dave'), 'reject', now, 'not during the backup');
    expect(rejected.ok && rejected.value.request.rejection).toEqual({
      person: 'dave',
      at: now.toISOString(),
      reason: 'not during the backup',
    });
  });

  it('refuses votes after expiry, even before the expiry job has run', () => {
    expect(castVote(request(), lead('dave'), 'approve', new Date('2026-12-01T03:15:00Z'))).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'NOT_PENDING',
        message: 'Request r1 has expired.',
      }) as unknown,
    });
  });

  it('refuses votes on a request that is no longer pending', () => {
    expect(castVote(request({ state: 'running' }), lead('dave'), 'approve', now)).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'NOT_PENDING',
        message: 'Request r1 is already running.',
      }) as unknown,
    });
  });
});
