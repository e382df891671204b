import { describe, expect, it } from 'vitest';
import { redactorFor } from '../../../src/app/create-app.js';
import { issuesOf, loaded, minimalConfig } from './minimal-config.js';

const envOptions = {
  port: 3000,
  logLevel: 'info',
  chatConfigured: false,
  secrets: ['xoxb-env-token-value'],
} as const;

describe('loadConfig redact patterns', () => {
  describe('when a pattern is not a valid regular expression', () => {
    it('reports it at its path and line with the regex hint', () => {
      const issues = issuesOf({
        ...minimalConfig(),
        redact: { patterns: [{ name: 'ticket-token', regex: 'TT-(unclosed' }] },
      });

      expect(issues).toMatchObject([
        {
          path: 'redact.patterns[0].regex',
          message: '"TT-(unclosed": not a valid regular expression: Unterminated group',
          line: expect.any(Number) as unknown,
        },
      ]);
      expect(issues[0]?.hint).toMatch(/JavaScript regular expression/);
    });
  });

  describe('when a pattern matches the empty text', () => {
    it('refuses it, since it would put a marker between every two characters', () => {
      expect(
        issuesOf({ ...minimalConfig(), redact: { patterns: [{ name: 'x', regex: '\\d*' }] } }),
      ).toMatchObject([
        {
          path: 'redact.patterns[0].regex',
          message: '"\\\\d*": matches the empty text; it must match at least one character',
        },
      ]);
    });
  });

  describe('when a pattern name would not fit in a marker', () => {
    it('refuses a name with spaces', () => {
      expect(
        issuesOf({ ...minimalConfig(), redact: { patterns: [{ name: 'a b', regex: 'x' }] } }),
      ).toMatchObject([{ path: 'redact.patterns[0].name' }]);
    });
  });

  describe('when patterns are valid', () => {
    it("makes the bot's redactor replace them next to the built-in shapes and the secrets", () => {
      const config = loaded({
        ...minimalConfig(),
        redact: {
          patterns: [
            { name: 'ticket-token', regex: 'TT-[0-9a-f]{8}' },
            { name: 'partner-key', regex: 'partner=(?<secret>\\w+)', ignoreCase: true },
          ],
        },
      });

      const redact = redactorFor(config, envOptions);

      expect(redact('TT-0123abcd PARTNER=abc123 password=hunter2 xoxb-env-token-value done')).toBe(
        '[REDACTED:ticket-token] PARTNER=[REDACTED:partner-key] password=[REDACTED] [REDACTED] done',
      );
    });

    it('defaults to no patterns when the block is absent', () => {
      expect(loaded(minimalConfig()).config.redact).toEqual({ patterns: [] });
    });
  });
});
