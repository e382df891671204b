import { describe, expect, it } from 'vitest';
import { consoleIdentity } from '../../../src/cli/console-identity.js';
import { testConfig } from '../../fakes/test-config.js';

describe('consoleIdentity', () => {
  describe('when nothing is asked', () => {
    it('types as the first lead in the default environment', () => {
      const identity = consoleIdentity(testConfig({ defaultEnvironment: 'staging' }), {}, {});
      expect(identity).toEqual({ ok: true, value: { person: 'dave', channel: 'staging' } });
    });
  });

  describe('when TAS_CHATOPS_AS is set and --as is not', () => {
    it('types as the person the env names', () => {
      const identity = consoleIdentity(testConfig(), { env: 'prod' }, { TAS_CHATOPS_AS: 'bob' });
      expect(identity).toEqual({ ok: true, value: { person: 'bob', channel: 'prod' } });
    });
  });

  describe('when several environments exist and none is the default', () => {
    it('picks none, so each command asks which environment as a chat channel would', () => {
      const identity = consoleIdentity(testConfig(), { as: 'alice' }, {});
      expect(identity).toEqual({ ok: true, value: { person: 'alice', channel: 'console' } });
    });
  });

  describe('when --env names an environment that does not exist', () => {
    it('returns the error with the configured environments', () => {
      const identity = consoleIdentity(testConfig(), { env: 'prd' }, {});
      expect(identity.ok).toBe(false);
      expect(!identity.ok && identity.error).toBe(
        'no environment prd (did you mean prod?); configured: prod, staging',
      );
    });
  });
});
