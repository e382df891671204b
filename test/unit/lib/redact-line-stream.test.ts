import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/lib/redact.js';
import { createLineStreamRedactor } from '../../../src/lib/redact-line-stream.js';

const KEY_LINES = [
  'MIIEowIBAAKCAQEA1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuVwXyZ0123456789abcd',
  'q9Zx+/abcdEFGHijklMNOPqrstUVWXyz0123456789+/abcdefghijklmnopqrstu',
  'Zm9vYmFyYmF6cXV4==',
];

function redactLines(lines: readonly string[], secrets: readonly string[] = []): string[] {
  const redactLine = createLineStreamRedactor(createRedactor(secrets));
  return lines.map((line) => redactLine(line));
}

describe('createLineStreamRedactor', () => {
  describe('when a PEM private key is logged one line at a time', () => {
    it('replaces every line from BEGIN through END and keeps the lines around it', () => {
      const out = redactLines([
        'loading key:',
        '-----BEGIN RSA PRIVATE KEY-----',
        ...KEY_LINES,
        '-----END RSA PRIVATE KEY-----',
        'listening on :8080',
      ]);

      expect(out).toEqual([
        'loading key:',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        'listening on :8080',
      ]);
    });

    it('replaces the body of an OpenSSH key behind a log prefix', () => {
      const out = redactLines([
        '2026-12-07T10:00:00Z app | -----BEGIN OPENSSH PRIVATE KEY-----',
        '2026-12-07T10:00:00Z app | b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz',
        '2026-12-07T10:00:00Z app | -----END OPENSSH PRIVATE KEY-----',
        '2026-12-07T10:00:01Z app | ready',
      ]);

      expect(out).toEqual([
        '2026-12-07T10:00:00Z app | [REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '2026-12-07T10:00:01Z app | ready',
      ]);
    });

    it('redacts the next key too, after the first one ended', () => {
      const out = redactLines([
        '-----BEGIN EC PRIVATE KEY-----',
        KEY_LINES[0] ?? '',
        '-----END EC PRIVATE KEY-----',
        'between keys',
        '-----BEGIN PRIVATE KEY-----',
        KEY_LINES[1] ?? '',
        '-----END PRIVATE KEY-----',
      ]);

      expect(out).toEqual([
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        'between keys',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
      ]);
    });
  });

  describe('when a whole key sits on one line', () => {
    it('redacts that line and leaves the next lines readable', () => {
      const out = redactLines([
        `key -----BEGIN PRIVATE KEY-----${KEY_LINES[0] ?? ''}-----END PRIVATE KEY----- loaded`,
        'ready',
      ]);

      expect(out).toEqual(['key [REDACTED:private-key] loaded', 'ready']);
    });
  });

  describe('when the END line never comes', () => {
    it('stops swallowing lines after 100 lines', () => {
      const body = Array.from({ length: 100 }, () => KEY_LINES[0] ?? '');
      const out = redactLines([
        '-----BEGIN RSA PRIVATE KEY-----',
        ...body,
        'password=hunter2 retrying',
        'ready',
      ]);

      expect(out.slice(0, 101).every((line) => line === '[REDACTED:private-key]')).toBe(true);
      expect(out.slice(101)).toEqual(['password=[REDACTED] retrying', 'ready']);
    });
  });

  describe('when lines hold no key', () => {
    it('applies the single-line redactor, configured secrets included', () => {
      expect(
        redactLines(
          ['user=bob password=hunter2', 'sent prod-db-pass', 'public key ok'],
          ['prod-db-pass'],
        ),
      ).toEqual(['user=bob password=[REDACTED]', 'sent [REDACTED]', 'public key ok']);
    });

    it('keeps a public key and a certificate readable', () => {
      const lines = [
        '-----BEGIN PUBLIC KEY-----',
        'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
        '-----END PUBLIC KEY-----',
        '-----BEGIN CERTIFICATE-----',
        'MIIBszCCAVmgAwIBAgIUe',
        '-----END CERTIFICATE-----',
      ];

      expect(redactLines(lines)).toEqual(lines);
    });
  });
});
