import { describe, expect, it } from 'vitest';
import { fitNewest, fitText } from '../../../../src/diagnostics/escalation/report-budgets.js';
import { fenced, md } from '../../../../src/diagnostics/escalation/render-markdown.js';

describe('fenced', () => {
  it('uses a fence longer than any run of backticks inside, so no log line can close it', () => {
    const block = fenced(['ERROR ```', 'then ````` more']);
    expect(block.split('\n')).toEqual(['``````text', 'ERROR ```', 'then ````` more', '``````']);
  });

  it('uses three backticks for plain lines', () => {
    expect(fenced(['a'])).toBe('```text\na\n```');
  });
});

describe('md', () => {
  it('shows Markdown syntax, HTML tags and table pipes as typed, on one line', () => {
    expect(md('<!channel> *bold* [x](y) a|b\nnext')).toBe(
      '\\<!channel\\> \\*bold\\* \\[x\\](y) a\\|b next',
    );
  });
});

describe('fitText', () => {
  it('leaves text within the budget alone', () => {
    expect(fitText('short', 100)).toBe('short');
  });

  it('cuts at a line break, closes an open fence and says how much was left out', () => {
    const text = ['```text', ...Array.from({ length: 100 }, (_, n) => `line ${n}`)].join('\n');
    const cut = fitText(text, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    const lines = cut.split('\n');
    expect(lines.filter((l) => l === '```')).toHaveLength(1);
    expect(cut).toMatch(/more characters left out: this section keeps within 300\._\n$/);
  });
});

describe('fitNewest', () => {
  it('keeps the newest lines that fit and counts the rest', () => {
    expect(fitNewest(['old', 'mid', 'new'], 8)).toEqual({ lines: ['mid', 'new'], omitted: 1 });
  });
});
