import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../src/cli/parse-cli-args.js';

describe('parseCliArgs', () => {
  describe('when run is given flags and words', () => {
    it('keeps the flags and joins the words into the command text', () => {
      expect(
        parseCliArgs(['run', '--as=bob', '--env', 'prod', '--json', '/tas', 'status']),
      ).toEqual({
        ok: true,
        value: { name: 'run', as: 'bob', env: 'prod', json: true, text: '/tas status' },
      });
    });
  });

  describe('when run has no command text', () => {
    it('says what to type', () => {
      const parsed = parseCliArgs(['run', '--as', 'bob']);
      expect(!parsed.ok && parsed.error).toContain('tas-chatops run "/tas status"');
    });
  });

  describe('when start is given --no-worker', () => {
    it('starts without workers', () => {
      expect(parseCliArgs(['start', '--no-worker'])).toEqual({
        ok: true,
        value: { name: 'start', worker: false },
      });
    });
  });

  describe('when a flag needs a value and has none', () => {
    it('names the flag', () => {
      expect(parseCliArgs(['start', '--env'])).toEqual({ ok: false, error: '--env needs a value' });
    });
  });

  describe('when audit is not followed by verify', () => {
    it('gives the one audit usage', () => {
      expect(parseCliArgs(['audit', 'list'])).toEqual({
        ok: false,
        error: 'usage: tas-chatops audit verify',
      });
    });
  });

  describe('when nothing is given', () => {
    it('asks for help', () => {
      expect(parseCliArgs([])).toEqual({ ok: true, value: { name: 'help' } });
    });
  });
});
