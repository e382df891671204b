import { describe, expect, it } from 'vitest';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { compileUserPattern } from '../../../../src/diagnostics/logs/compile-user-pattern.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import type { ExcerptOptions } from '../../../../src/diagnostics/logs/log-excerpt.js';
import { readLogSource } from '../../../../src/diagnostics/logs/read-log-source.js';
import type { TextPattern } from '../../../../src/diagnostics/logs/text-pattern.js';
import { createRedactor } from '../../../../src/lib/redact.js';
import { fakeLogSource, parsed } from './log-fixtures.js';

const patterns = logPatterns();
const CONFIGURED = 'Zq7-configured-Secret-value';

function grep(source: string): TextPattern {
  const pattern = compileUserPattern(source);
  if (!pattern.ok) throw new Error(pattern.error);
  return pattern.value;
}

async function matchedLines(lines: string[], options: Partial<ExcerptOptions>): Promise<number> {
  const excerpt = await buildExcerpt(parsed(...lines), { patterns, ...options });
  return excerpt.matchedLines;
}

describe('buildExcerpt', () => {
  describe('when a grep probes a redacted secret one character at a time', () => {
    const lines = ['ERROR login failed password=abc', 'INFO password=xyz rotated'];

    it('finds no line by the first character of the password', async () => {
      expect(await matchedLines(lines, { grep: grep('password=a') })).toBe(0);
    });

    it('gives the right first character the same count as a wrong one', async () => {
      const right = await matchedLines(lines, { grep: grep('password=a') });
      const wrong = await matchedLines(lines, { grep: grep('password=b') });

      expect(right).toBe(wrong);
    });

    it('finds the lines by what is shown instead: the marker', async () => {
      const excerpt = await buildExcerpt(parsed(...lines), {
        patterns,
        grep: grep('password=\\[REDACTED\\]'),
        context: 0,
      });

      expect(excerpt.matchedLines).toBe(2);
      expect(excerpt.excerpt.lines).toEqual([
        'ERROR login failed password=[REDACTED]',
        'INFO password=[REDACTED] rotated',
      ]);
    });
  });

  describe('when the secret sits in a JSON field the message does not show', () => {
    const lines = ['{"level":50,"msg":"login failed","user":"bob","password":"hunter22"}'];

    it('matches the field only in its redacted form', async () => {
      expect(await matchedLines(lines, { grep: grep('"password":"h') })).toBe(0);
      expect(await matchedLines(lines, { grep: grep('"password":"\\[REDACTED\\]"') })).toBe(1);
    });
  });

  describe('when a JSON message hides a token behind unicode escapes', () => {
    it('redacts the decoded message it shows', async () => {
      const token = `\\u0067hp_${'A1b2C3d4E5'.repeat(4)}`;
      const excerpt = await buildExcerpt(parsed(`{"level":50,"msg":"auth with ${token} failed"}`), {
        patterns,
      });

      expect(excerpt.excerpt.lines).toEqual(['ERROR auth with [REDACTED:github-token] failed']);
    });
  });

  describe('when the secret is a configured value', () => {
    const redact = createRedactor([CONFIGURED]);

    it('hides it from grep and shows the marker in its place', async () => {
      const lines = [`ERROR upstream refused key ${CONFIGURED} for tenant acme`];

      expect(await matchedLines(lines, { redact, grep: grep('key Zq7') })).toBe(0);
      const excerpt = await buildExcerpt(parsed(...lines), {
        patterns,
        redact,
        grep: grep('tenant acme'),
      });
      expect(excerpt.excerpt.lines).toEqual([
        'ERROR upstream refused key [REDACTED] for tenant acme',
      ]);
    });

    it('redacts it before the 500-character cut, so no prefix is left at the cut', async () => {
      // The value spans characters 492–519 of the line: a cut before redaction would keep
      // `Zq7-conf` and no exact-value match would ever find it.
      const line = `ERROR ${'x'.repeat(486)}${CONFIGURED} and more`;

      const excerpt = await buildExcerpt(parsed(line), { patterns, redact });

      expect(excerpt.excerpt.lines).toEqual([`ERROR ${'x'.repeat(486)}[REDACT…`]);
      expect(excerpt.groups[0]?.sample).toBe(`ERROR ${'x'.repeat(486)}[REDACT…`);
      expect(JSON.stringify(excerpt)).not.toContain('Zq7');
    });
  });

  describe('when a configured secret crosses the line cap', () => {
    const redact = createRedactor([CONFIGURED]);
    // The cap keeps 16384 bytes; the secret starts 10 bytes before it.
    const long = `ERROR ${'y'.repeat(16_384 - 6 - 10)}${CONFIGURED}${'z'.repeat(5000)}\n`;

    async function scan(options: Partial<ExcerptOptions>) {
      const source = fakeLogSource('raw', [Buffer.from(long)]);
      return buildExcerpt(readLogSource(source), {
        patterns,
        redact,
        maxLineChars: 20_000,
        ...options,
      });
    }

    it('keeps no prefix of it for grep to find', async () => {
      expect((await scan({ grep: grep('yZq7') })).matchedLines).toBe(0);
      expect((await scan({ grep: grep('yyyy') })).matchedLines).toBe(1);
    });

    it('shows the start of the line and says how much was dropped', async () => {
      const [shown] = (await scan({})).excerpt.lines;

      expect(shown).toMatch(/^ERROR y+ … \[\d+ more bytes dropped\]$/);
      expect(shown).not.toContain('Zq7');
    });
  });

  describe('when a private key is logged line by line', () => {
    const lines = [
      'ERROR bad key loaded:',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
      'aFDrBz9vFqU4yY1hTq2Lx3Fb3jvmBz8WQ0yX8qAvj0x2ZkW7C3RkPWbS1u9uQ7Xg',
      '-----END RSA PRIVATE KEY-----',
      'INFO retrying',
    ];

    it('lets no grep find a line of the key body', async () => {
      expect(await matchedLines(lines, { grep: grep('MIIEow') })).toBe(0);
      expect(await matchedLines(lines, { grep: grep('aFDrBz') })).toBe(0);
    });

    it('shows every line of the key as the marker', async () => {
      const excerpt = await buildExcerpt(parsed(...lines), { patterns, context: 5 });

      expect(excerpt.excerpt.lines).toEqual([
        'ERROR bad key loaded:',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        '[REDACTED:private-key]',
        'INFO retrying',
      ]);
    });
  });
});
