import { describe, expect, it } from 'vitest';
import {
  actionId,
  actionKey,
  sameSecret,
  signAction,
  verifyAction,
} from '../../../../adapters/mattermost/action-context.js';

const key = actionKey('bot-token-one');

describe('verifyAction', () => {
  describe('when the context is one this bot signed', () => {
    it('gives back the request and verb', () => {
      expect(verifyAction(key, signAction(key, 'r1a2b3c', 'reject'))).toEqual({
        verb: 'reject',
        requestId: 'r1a2b3c',
      });
    });
  });

  describe('when a forger changes what the button stands for', () => {
    const signed = signAction(key, 'r1a2b3c', 'reject');
    it.each([
      ['another verb', { ...signed, verb: 'approve' }],
      ['another request', { ...signed, request_id: 'r9z9z9z' }],
      ['another signature', { ...signed, sig: '0'.repeat(64) }],
      ['a signature cut short', { ...signed, sig: signed.sig.slice(0, 10) }],
      ['no signature', { request_id: 'r1a2b3c', verb: 'reject' }],
      ['a verb we never sign', { ...signed, verb: 'execute' }],
      ['no context at all', undefined],
    ])('refuses %s', (_what, context) => {
      expect(verifyAction(key, context)).toBeUndefined();
    });

    it('refuses a context signed with another bot token', () => {
      const other = actionKey('bot-token-two');
      expect(verifyAction(key, signAction(other, 'r1a2b3c', 'approve'))).toBeUndefined();
    });
  });
});

describe('actionId', () => {
  describe('when two buttons stand for different requests or verbs', () => {
    it('gives them different alphanumeric ids', () => {
      const ids = [actionId('approve', 'r1'), actionId('reject', 'r1'), actionId('approve', 'r2')];
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{1,64}$/);
    });
  });
});

describe('sameSecret', () => {
  describe('when the lengths differ', () => {
    it('compares without throwing and says no', () => {
      expect(sameSecret('abc', 'abcd')).toBe(false);
      expect(sameSecret('abcd', 'abcd')).toBe(true);
    });
  });
});
