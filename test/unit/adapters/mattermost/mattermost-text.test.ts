import { describe, expect, it } from 'vitest';
import { escapeText, neutraliseMentions } from '../../../../adapters/mattermost/mattermost-text.js';
import { notifyingMentions } from '../../../stand-ins/mattermost/mentions.js';

const directory = {
  usernames: new Set(['alice', 'bob']),
  groups: new Set(['devs']),
  channelNames: new Set(['town-square', 'off-topic']),
};

/** What a reader sees: Markdown escapes undone, zero-width spaces invisible. */
const shown = (markdown: string) => markdown.replace(/\\(.)/g, '$1').replace(/\u200b/g, '');

const KINDS = [
  '@here',
  '@channel',
  '@all',
  '@HERE',
  '@alice',
  '@devs',
  '~town-square',
  '**@here**',
  '(@bob)',
  '@bob.',
  '.@here',
  '_@all_',
  'ping @alice: now',
];

describe('escapeText', () => {
  describe('when data text holds a mention of any kind', () => {
    it.each(KINDS)('notifies nobody for %j and reads the same', (text) => {
      expect(notifyingMentions(text, directory)).not.toEqual([]);
      const markdown = escapeText(text);
      expect(notifyingMentions(markdown, directory)).toEqual([]);
      expect(shown(markdown)).toBe(text);
    });
  });

  describe('when data text holds Markdown', () => {
    it('escapes every character that would style, link or quote', () => {
      expect(escapeText('# h\n- l\n1. n\n> q\n*b* _i_ ~~s~~ [t](u) `c` a|b & <x>')).toBe(
        '\\# h\n\\- l\n1\\. n\n\\> q\n\\*b\\* \\_i\\_ \\~\u200b\\~\u200bs\\~\u200b\\~ \\[t\\]\\(u\\) \\`c\\` a\\|b \\& \\<x\\>',
      );
    });
  });
});

describe('neutraliseMentions', () => {
  describe('when the text uses Slack-style broadcasts the server would convert', () => {
    it('breaks them so `<!here>` cannot become @here', () => {
      expect(neutraliseMentions('<!here> <@U1> <#C1>')).toBe(
        '<\u200b!here> <\u200b@\u200bU1> <\u200b#C1>',
      );
    });
  });

  describe('when a mention is neutralised twice', () => {
    it('adds nothing the second time', () => {
      const once = neutraliseMentions('@here ~town');
      expect(neutraliseMentions(once)).toBe(once);
    });
  });
});
