import { describe, expect, it } from 'vitest';
import { webApi, type RespondArguments } from '@slack/bolt';
import { deliverAnswer, type AnswerDeps } from '../../../../adapters/slack/deliver-answer.js';
import type { SlackPoster } from '../../../../adapters/slack/slack-poster.js';
import type { Reply } from '../../../../src/core/reply.js';
import { captureLogger } from '../../../fakes/capture-logger.js';

const notInChannel = () => new webApi.WebAPIPlatformError({ ok: false, error: 'not_in_channel' });

/** A poster that records what it is asked and fails the calls named in `failing`. */
function fakePoster(failing: ReadonlySet<string> = new Set()) {
  const calls: { method: string; args: unknown[] }[] = [];
  const step = (method: string, ...args: unknown[]) => {
    calls.push({ method, args });
    return failing.has(method) ? Promise.reject(notInChannel()) : Promise.resolve();
  };
  const poster: SlackPoster = {
    post: async (...args) => {
      await step('post', ...args);
      return { ts: '100.000001', threadTs: args[1] ?? '100.000001' };
    },
    postEphemeral: (...args) => step('postEphemeral', ...args),
    postNote: (...args) => step('postNote', ...args),
    update: (...args) => step('update', ...args),
  };
  return { poster, calls };
}

function deps(poster: SlackPoster) {
  const { log, entries } = captureLogger();
  const answerDeps: AnswerDeps = { poster, log };
  return { answerDeps, entries };
}

function respondRecorder() {
  const sent: RespondArguments[] = [];
  const respond = (message: string | RespondArguments) => {
    sent.push(typeof message === 'string' ? { text: message } : message);
    return Promise.resolve();
  };
  return { respond, sent };
}

const status: Reply = {
  title: 'fix: DOWN',
  verdict: 'DOWN',
  blocks: [{ kind: 'text', text: 'checked in 84ms' }],
};
const refusal: Reply = {
  title: 'You asked for this, so someone else has to approve it.',
  blocks: [],
  ephemeral: true,
};

describe('deliverAnswer', () => {
  it('posts an ephemeral answer to the asking user only', async () => {
    const { poster, calls } = fakePoster();
    await deliverAnswer(deps(poster).answerDeps, { channel: 'C0OPS', user: 'U01ALICE' }, refusal);
    expect(calls.map((c) => [c.method, c.args[0], c.args[1]])).toEqual([
      ['postEphemeral', 'C0OPS', 'U01ALICE'],
    ]);
  });

  it('answers a click in the card’s thread', async () => {
    const { poster, calls } = fakePoster();
    await deliverAnswer(
      deps(poster).answerDeps,
      { channel: 'C0OPS', user: 'U04DAVE', threadTs: '99.1' },
      status,
    );
    expect(calls[0]?.args.slice(0, 2)).toEqual(['C0OPS', '99.1']);
  });

  describe('when Slack refuses the answer', () => {
    it('logs it and tells the user in a short ephemeral note', async () => {
      const { poster, calls } = fakePoster(new Set(['post']));
      const d = deps(poster);
      await deliverAnswer(d.answerDeps, { channel: 'C0OPS', user: 'U01ALICE' }, status);
      expect(calls.map((c) => c.method)).toEqual(['post', 'postNote']);
      expect(calls[1]?.args[2]).toBe(
        'I could not post the answer here (Slack said `not_in_channel`). It was: *fix: DOWN*',
      );
      expect(d.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual([
        'could not post the answer to Slack',
      ]);
    });

    it('falls back to the response_url when the note is refused too', async () => {
      const { poster } = fakePoster(new Set(['post', 'postNote']));
      const { respond, sent } = respondRecorder();
      await deliverAnswer(
        deps(poster).answerDeps,
        { channel: 'C0OPS', user: 'U01ALICE', respond },
        status,
      );
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ response_type: 'ephemeral' });
      expect(sent[0]?.text).toMatch(/^I could not post the answer here/);
    });

    it('sends a refused ephemeral answer whole through the response_url', async () => {
      const { poster, calls } = fakePoster(new Set(['postEphemeral']));
      const { respond, sent } = respondRecorder();
      await deliverAnswer(
        deps(poster).answerDeps,
        { channel: 'C0OPS', user: 'U01ALICE', respond },
        refusal,
      );
      expect(calls.map((c) => c.method)).toEqual(['postEphemeral']);
      expect(sent).toEqual([
        expect.objectContaining({
          response_type: 'ephemeral',
          text: 'You asked for this, so someone else has to approve it.',
        }),
      ]);
    });

    it('logs that nobody could be told when every way is closed', async () => {
      const { poster } = fakePoster(new Set(['post', 'postNote']));
      const d = deps(poster);
      await deliverAnswer(d.answerDeps, { channel: 'C0OPS', user: 'U01ALICE' }, status);
      expect(d.entries.at(-1)?.msg).toBe('could not tell the user that the answer failed either');
    });
  });
});
