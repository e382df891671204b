import { describe, expect, it } from 'vitest';
import { pendingApprovals } from '../../../src/app/pending-approvals.js';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';

const request = (environment: string, state: OperationRequest['state']) =>
  ({ environment, state }) as OperationRequest;

describe('pendingApprovals', () => {
  describe('when requests wait in some environments only', () => {
    it('counts pending ones per configured environment, zeros included', async () => {
      const store = {
        open: () =>
          Promise.resolve([
            request('prod', 'pending'),
            request('prod', 'pending'),
            request('prod', 'running'),
            request('gone', 'pending'),
          ]),
      };
      expect(await pendingApprovals(store, ['prod', 'staging'])()).toEqual([
        { environment: 'prod', count: 2 },
        { environment: 'staging', count: 0 },
      ]);
    });
  });

  describe('when the store fails', () => {
    it('passes its error on, so the scrape reports the source as failed', async () => {
      const down = new Error('Redis is not answering');
      const store = { open: () => Promise.reject(down) };
      await expect(pendingApprovals(store, ['prod'])()).rejects.toBe(down);
    });
  });
});
