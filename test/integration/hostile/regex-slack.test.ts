import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK, startSlackHarness, type SlackHarness } from '../../support/slack-harness.js';

/**
 * Patterns that backtrack exponentially (or polynomially with a large degree) in a backtracking
 * engine on ordinary log lines, patterns a linear-time engine cannot express, and plain abuse.
 * Each one is sent as `/tas logs worker --grep …` through the real bolt App in HTTP mode.
 */
const PATHOLOGICAL = [
  '(.|.)+zq',
  '(a+)+$',
  '(a|aa)+$',
  '(x+x+)+y',
  '([a-z]+)*$',
  '(.*a){12}',
  '(\\w+\\s?)+$',
  '^(a|a?)+$',
  '(.*){1,1000}[bc]',
  '((a+)+)+b',
  '(\\d+)*[a-z]{99}',
  '(a*)*b',
  '(?:.*?,){11}P',
  '(\\s*\\S+\\s*)+=',
  '((ab)*|a)*c',
  '(.+)+@',
  '(x|x|x|x)+y',
  '^(\\w+\\.?)+@',
  '([^\\s]+\\s?)+!',
  '(.*?)+zz',
  '(((((((((a*)*)*)*)*)*)*)*)*)*b',
  '(a|b|ab)*c',
  '.*.*.*.*.*.*.*.*.*.*=',
  '(e|er|err|erro|error)+Q',
  // Not expressible in linear time: refused with a usage answer.
  '(job) \\1',
  '(?=job)+x',
  '(?<=ERROR )job',
  '(?!x)+y',
  // Not a pattern at all, and far too long.
  '(unclosed',
  'a'.repeat(5000),
];

/** The text a Slack user types: a backslash that escapes nothing reaches the pattern as typed. */
const typed = (pattern: string) => `logs worker --grep "${pattern}"`;

describe('pathological --grep patterns through the real Slack path', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('http');
  });
  afterAll(async () => {
    await h?.close();
  });

  const statusAnswers = () =>
    h.slack.messages.filter(
      (m) => m.channel === SLACK.fix && /^fix: (OK|DEGRADED|DOWN)$/.test(m.text),
    );
  const grepAnswers = () =>
    h.slack.messages.filter((m) => m.channel === SLACK.ops && /^worker logs \(/.test(m.text))
      .length + h.slack.ephemeralsFor(SLACK.bob).length;

  it('answers each one, and another user’s /tas status is acknowledged and answered meanwhile', async () => {
    for (const [index, pattern] of PATHOLOGICAL.entries()) {
      const statusBefore = statusAnswers().length;
      const grepBefore = grepAnswers();
      const [grep, status] = await Promise.all([
        h.slash(SLACK.bob, typed(pattern), SLACK.ops),
        h.slash(SLACK.alice, 'status', SLACK.fix),
      ]);
      expect(grep.ack.status, `ack of pattern ${index}`).toBe(200);
      expect(status.ack, `status ack beside pattern ${index}`).toEqual({
        status: 200,
        payload: {},
      });
      await h.slack.waitFor(`the answer to pattern ${index} (${pattern.slice(0, 40)})`, () =>
        grepAnswers() > grepBefore ? true : undefined,
      );
      await h.slack.waitFor(`alice's status beside pattern ${index}`, () =>
        statusAnswers().length > statusBefore ? true : undefined,
      );
    }
    // None of them was an internal error: each got an excerpt or a usage answer.
    const told = h.slack.ephemeralsFor(SLACK.bob).map((e) => e.text);
    expect(told.filter((text) => /went wrong|not answering/.test(text))).toEqual([]);
    expect(told.every((text) => text.includes('--grep'))).toBe(true);
    // The bot is still whole: one more ordinary grep finds what the worker logged.
    await h.slash(SLACK.bob, 'logs worker --grep "job bcd failed"', SLACK.ops);
    const found = await h.message(
      SLACK.ops,
      /^worker logs \(.*\): \d+ of [\d,]+ lines? match(es)? \/job bcd failed\//,
    );
    expect(JSON.stringify(found.blocks)).toContain('job bcd failed');
  });

  it('refuses what a linear-time engine cannot run with a usage answer naming the problem', async () => {
    const before = h.slack.ephemeralsFor(SLACK.erin).length;
    await h.slash(SLACK.erin, typed('(job) \\1'), SLACK.ops);
    const refusal = await h.slack.waitFor(
      'the refusal of a backreference',
      () => h.slack.ephemeralsFor(SLACK.erin)[before],
    );
    expect(refusal.text).toMatch(/--grep/);
    expect(refusal.text).toMatch(/backreference|not supported|linear/i);
  });
});
