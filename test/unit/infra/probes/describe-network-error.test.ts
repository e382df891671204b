import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../../../src/infra/probes/describe-network-error.js';

/** Errors shaped exactly as node:dns, node:net and node:tls raise them. */
function nodeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('describeNetworkError', () => {
  describe('when a name does not resolve', () => {
    it('names the code and the host once', () => {
      const error = nodeError('getaddrinfo ENOTFOUND tas.example.com', {
        code: 'ENOTFOUND',
        hostname: 'tas.example.com',
      });

      expect(describeNetworkError(error, 'tas.example.com:443')).toBe('ENOTFOUND tas.example.com');
    });
  });

  describe('when the error carries no address', () => {
    it('falls back to the probed target and keeps the message', () => {
      const error = nodeError('certificate has expired', { code: 'CERT_HAS_EXPIRED' });

      expect(describeNetworkError(error, 'tas.example.com:443')).toBe(
        'CERT_HAS_EXPIRED tas.example.com:443 (certificate has expired)',
      );
    });
  });

  describe('when the error wraps another', () => {
    it('describes the original', () => {
      const cause = nodeError('connect ECONNREFUSED 192.0.2.5:8080', {
        code: 'ECONNREFUSED',
        address: '192.0.2.5',
        port: 8080,
      });

      expect(describeNetworkError(new Error('request failed', { cause }), 'x')).toBe(
        'ECONNREFUSED 192.0.2.5:8080 (request failed)',
      );
    });
  });
});
