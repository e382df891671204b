import { describe, expect, it } from 'vitest';
import type { UserError } from '../../../src/core/errors.js';
import { mayRequest, type RequestPolicy } from '../../../src/core/requests/may-request.js';

const policy: RequestPolicy = { request: ['oncall'], breakGlass: ['lead'] };
const person = (...roles: string[]) => ({ person: 'p', roles: new Set(roles) });

function refusal(result: ReturnType<typeof mayRequest>): UserError {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('mayRequest', () => {
  describe('when the environment has no policy for the operation', () => {
    it('refuses everyone with NO_POLICY', () => {
      const error = refusal(
        mayRequest(undefined, {
          environment: 'prod',
          operation: 'stop',
          identity: person('oncall', 'lead'),
          breakGlass: false,
        }),
      );
      expect(error.code).toBe('NO_POLICY');
      expect(error.message).toBe('Nobody may stop in `prod`: the config has no policy for it.');
    });
  });

  describe('when asked without break-glass', () => {
    const ask = { environment: 'prod', operation: 'restart' as const, breakGlass: false };

    it('lets a request role ask', () => {
      expect(mayRequest(policy, { ...ask, identity: person('oncall') }).ok).toBe(true);
    });

    it('refuses a person holding only a break-glass role, naming the request roles', () => {
      const error = refusal(mayRequest(policy, { ...ask, identity: person('lead') }));
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe('You may not request restart in `prod`.');
      expect(error.details).toEqual(['Allowed roles: oncall.']);
    });
  });

  describe('when asked with break-glass', () => {
    const ask = { environment: 'prod', operation: 'restart' as const, breakGlass: true };

    it('lets a break-glass role skip the approval', () => {
      expect(mayRequest(policy, { ...ask, identity: person('lead') }).ok).toBe(true);
    });

    it('refuses a request role that has no break-glass, naming who has', () => {
      const error = refusal(mayRequest(policy, { ...ask, identity: person('oncall') }));
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe('Break-glass restart is not open to you in `prod`.');
      expect(error.details).toEqual(['Allowed roles: lead.']);
    });

    it('says so when no role has break-glass', () => {
      const error = refusal(
        mayRequest({ request: ['oncall'], breakGlass: [] }, { ...ask, identity: person('oncall') }),
      );
      expect(error.details).toEqual(['No role has break-glass here.']);
    });
  });
});
