import { describe, expect, it } from 'vitest';
import {
  escapeText,
  inlineCode,
  neutraliseFences,
  splitEscaped,
} from '../../../../adapters/slack/slack-text.js';

describe('escapeText', () => {
  it('escapes & first, then < and >, and nothing else', () => {
    expect(escapeText('<!channel> & <@U1> "q" \'s\' *b* `c`')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1&gt; "q" \'s\' *b* `c`',
    );
    expect(escapeText('&lt;')).toBe('&amp;lt;');
  });
});

describe('neutraliseFences', () => {
  it('breaks every run of three or more backticks, leaving shorter runs alone', () => {
    expect(neutraliseFences('a ``` b ```` c `` d')).toBe(
      'a `\u200b`\u200b` b `\u200b`\u200b`\u200b` c `` d',
    );
  });
});

describe('inlineCode', () => {
  it('keeps a backtick in data from ending the span', () => {
    expect(inlineCode('a`b<c>')).toBe("`a'b&lt;c&gt;`");
  });
});

describe('splitEscaped', () => {
  it('splits at line breaks while the pieces fit', () => {
    expect(splitEscaped('aaa\nbbb\nccc', 7)).toEqual(['aaa\nbbb', 'ccc']);
  });

  it('splits a line that is too long on its own without breaking an entity or a character', () => {
    const pieces = splitEscaped('ab<<<😀😀', 6);
    expect(pieces).toEqual(['ab&lt;', '&lt;', '&lt;😀', '😀']);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(6);
  });

  it('drops no character', () => {
    const raw = Array.from({ length: 200 }, (_, i) => `${'&'.repeat(i % 7)}<line ${i}>`).join('\n');
    const pieces = splitEscaped(raw, 50);
    expect(
      pieces.join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    ).toBe(raw);
  });
});
