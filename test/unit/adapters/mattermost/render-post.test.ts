import { describe, expect, it } from 'vitest';
import {
  actionKey,
  signAction,
  verifyAction,
} from '../../../../adapters/mattermost/action-context.js';
import { MATTERMOST_LIMITS, runeCount } from '../../../../adapters/mattermost/mattermost-limits.js';
import {
  renderPages,
  renderPost,
  type MattermostMessage,
} from '../../../../adapters/mattermost/render-post.js';
import type { Reply } from '../../../../src/core/reply.js';
import { mentionTexts, notifyingMentions } from '../../../stand-ins/mattermost/mentions.js';
import { card, hostile, status } from './replies.js';

const key = actionKey('unit-bot-token');
const options = {
  command: 'tas',
  actionUrl: 'https://tas-chatops.example.com/mattermost/action',
  sign: (requestId: string, verb: 'approve' | 'reject') => signAction(key, requestId, verb),
};
const render = (reply: Reply) => renderPost(reply, options);
const golden = (name: string) => `./golden/mattermost-${name}.json`;
const directory = {
  usernames: new Set(['alice', 'bob']),
  groups: new Set(['devs']),
  channelNames: new Set(['town-square', 'off-topic']),
};

/** The post as golden JSON; long files are shown by size and first lines. */
function view(message: MattermostMessage): string {
  const files = message.files.map((f) =>
    f.content.length <= 1500
      ? f
      : {
          filename: f.filename,
          bytes: Buffer.byteLength(f.content),
          firstLines: f.content.split('\n').slice(0, 4),
        },
  );
  return `${JSON.stringify({ ...message, files }, null, 2)}\n`;
}

const actionsOf = (message: MattermostMessage) =>
  (message.props.attachments ?? []).flatMap(
    (a) =>
      (a as { actions: { id: string; integration: { url: string; context: unknown } }[] }).actions,
  );

describe('renderPost', () => {
  describe('when the reply is a status', () => {
    it('lays it out as one Markdown post', async () => {
      const message = render(status);
      expect(message.props).toEqual({});
      await expect(view(message)).toMatchFileSnapshot(golden('status'));
    });
  });

  describe('when the reply is an approval card', () => {
    it('carries one signed button per verb, calling back to the bot', async () => {
      const message = render(card);
      const actions = actionsOf(message);
      expect(actions).toHaveLength(2);
      for (const action of actions) {
        expect(action.id).toMatch(/^[A-Za-z0-9]+$/);
        expect(action.integration.url).toBe('https://tas-chatops.example.com/mattermost/action');
        expect(verifyAction(key, action.integration.context)).toBeDefined();
      }
      expect(verifyAction(key, actions[0]?.integration.context)).toEqual({
        verb: 'approve',
        requestId: 'r1a2b3c',
      });
      await expect(view(message)).toMatchFileSnapshot(golden('approval-card'));
    });

    it('drops the buttons once the card has nothing left to decide', () => {
      expect(render({ ...card, buttons: [] }).props).toEqual({});
    });
  });

  describe('when data text tries to notify', () => {
    it('pings nobody in any text the server scans', async () => {
      const message = render(hostile);
      for (const text of mentionTexts(message))
        expect(notifyingMentions(text, directory)).toEqual([]);
      await expect(view(message)).toMatchFileSnapshot(golden('hostile'));
    });

    it('keeps the file as written (files are never scanned)', () => {
      expect(render(hostile).files).toEqual([
        { filename: 'prod-@here.txt', contentType: 'text/plain', content: '@channel in a file' },
      ]);
    });
  });

  describe('when the answer is longer than a post may be', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(20)} @here`);
    const long: Reply = { title: 'backend logs', blocks: [{ kind: 'excerpt', lines }] };

    it('shows what fits, says where the rest is, and attaches all of it', () => {
      const message = render(long);
      expect(runeCount(message.message)).toBeLessThanOrEqual(MATTERMOST_LIMITS.messageRunes);
      expect(message.message).toContain('all of it is in `backend-logs.txt`, attached');
      expect(message.files[0]?.filename).toBe('backend-logs.txt');
      expect(message.files[0]?.content).toContain('line 2999');
    });

    it('counts code points the way the server does', () => {
      const emoji: Reply = { title: 't', blocks: [{ kind: 'text', text: '🔥'.repeat(20_000) }] };
      const message = render(emoji);
      expect(runeCount(message.message)).toBeLessThanOrEqual(MATTERMOST_LIMITS.messageRunes);
      expect(message.files[0]?.content).toContain('🔥'.repeat(20_000));
    });
  });
});

describe('renderPages', () => {
  describe('when an ephemeral answer is longer than one post', () => {
    it('splits it into posts within the limit, nothing dropped', () => {
      const text = Array.from({ length: 2000 }, (_, i) => `row ${i} ${'y'.repeat(30)}`).join('\n');
      const pages = renderPages({ title: 'help', blocks: [{ kind: 'text', text }] }, 'tas');
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages)
        expect(runeCount(page)).toBeLessThanOrEqual(MATTERMOST_LIMITS.messageRunes);
      expect(pages.join('\n')).toContain('row 1999');
    });
  });

  describe('when the reply has buttons', () => {
    it('offers the typed command instead (ephemeral posts carry no buttons of ours)', () => {
      const [page = ''] = renderPages(card, 'tas');
      expect(page).toContain('`/tas approve r1a2b3c`');
    });
  });
});
