import type { OperationRequest } from '../../src/core/requests/operation-request.js';

/** A pending restart of `backend` in `prod`, as `requestOperation` stores it. */
export function pendingRequest(overrides: Partial<OperationRequest> = {}): OperationRequest {
  return {
    id: 'r1',
    environment: 'prod',
    operation: 'restart',
    target: 'backend',
    steps: [
      {
        service: 'backend',
        change: { kind: 'restart' },
        before: {
          image: 'registry.example/tas/backend:5.15.1',
          imageTag: '5.15.1',
          desired: 1,
          running: 1,
          version: 10,
          fingerprint: 'f1',
          forceUpdate: 0,
        },
        describe: 'force update',
        state: 'planned',
      },
    ],
    requester: 'alice',
    breakGlass: false,
    createdAt: '2026-12-01T03:00:00.000Z',
    expiresAt: '2026-12-01T03:15:00.000Z',
    state: 'pending',
    required: 2,
    approverRoles: ['lead'],
    approvals: [],
    origin: { platform: 'slack', channelId: 'C01OPS' },
    ...overrides,
  };
}
