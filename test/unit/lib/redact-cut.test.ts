import { describe, expect, it } from 'vitest';
import { cutAtTokenBoundary } from '../../../src/lib/redact-cut.js';

describe('cutAtTokenBoundary', () => {
  describe('when the cut falls inside a token', () => {
    it('leaves the whole token out', () => {
      expect(cutAtTokenBoundary('error token ghp_FAKEfakeFAKEfake1234 end', 20)).toBe(
        'error token ',
      );
    });

    it('leaves out a URL whose password the cut would split', () => {
      expect(cutAtTokenBoundary('db "postgres://app:S3cret@db/app"', 25)).toBe('db "');
    });

    it('keeps a run longer than 1024 characters cut at the limit', () => {
      const text = `x ${'a'.repeat(3000)}`;

      expect(cutAtTokenBoundary(text, 2000)).toBe(text.slice(0, 2000));
    });
  });

  describe('when the cut falls on a separator', () => {
    it('keeps everything up to the limit', () => {
      expect(cutAtTokenBoundary('alpha beta gamma', 10)).toBe('alpha beta');
      expect(cutAtTokenBoundary('alpha beta gamma', 11)).toBe('alpha beta ');
    });
  });

  describe('when the text fits', () => {
    it('returns it unchanged', () => {
      expect(cutAtTokenBoundary('short', 10)).toBe('short');
    });
  });
});
