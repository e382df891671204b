import { describe, expect, it } from 'vitest';
import { parseActionValue } from '../../../../adapters/slack/action-ids.js';
import { renderBlocks, renderEphemeralPages } from '../../../../adapters/slack/render-blocks.js';
import type { SlackMessage } from '../../../../adapters/slack/slack-message.js';
import type { Reply } from '../../../../src/core/reply.js';
import {
  parsedStrings,
  unescapedMentions,
  validateBlocks,
} from '../../../stand-ins/slack/validate-blocks.js';

const status: Reply = {
  title: 'prod: DOWN',
  verdict: 'DOWN',
  blocks: [
    {
      kind: 'rows',
      title: 'Services',
      rows: [
        { label: 'backend', value: '1/1  5.15.2', tone: 'ok' },
        {
          label: 'backend-cron',
          value: '0/1  restart loop (5 failed tasks in 10m): task: non-zero exit (1)',
          tone: 'fail',
        },
        { label: 'redis', value: '0/0  scaled to 0', tone: 'warn' },
      ],
    },
    {
      kind: 'rows',
      title: 'Probes',
      rows: [{ label: 'readiness', value: '503 {"status":"UNAVAILABLE"}  12ms', tone: 'fail' }],
    },
    { kind: 'text', text: 'checked in 84ms' },
  ],
};

const card: Reply = {
  title: 'restart ops_backend — waiting for approval [r1a2b3c]',
  blocks: [
    {
      kind: 'rows',
      title: 'What will change',
      rows: [
        { label: 'backend', value: 'force update (spec version 12, image 5.15.2)', tone: 'info' },
      ],
    },
    {
      kind: 'fields',
      fields: [
        { label: 'Requested by', value: 'alice at 03:10 UTC' },
        { label: 'Approvals', value: '0 of 1' },
        { label: 'Who may approve', value: 'lead (not the requester)' },
        { label: 'Expires', value: '03:25 UTC' },
      ],
    },
  ],
  buttons: [
    { label: 'Approve', verb: 'approve', requestId: 'r1a2b3c', style: 'primary' },
    { label: 'Reject', verb: 'reject', requestId: 'r1a2b3c', style: 'danger' },
  ],
  card: { requestId: 'r1a2b3c' },
};

const hostile: Reply = {
  title: 'backend logs <!here> & co',
  blocks: [
    {
      kind: 'rows',
      title: 'Most <!channel>',
      rows: [
        {
          label: '×3 <@U123ABC>',
          value: 'case comment: <!channel> @everyone <@U123ABC> <#C01|general>',
          tone: 'warn',
        },
      ],
    },
    {
      kind: 'fields',
      fields: [{ label: '<!subteam^S01|@team>', value: '<https://evil.example|click me> & more' }],
    },
    {
      kind: 'excerpt',
      title: 'Excerpt',
      lines: [
        '{"msg":"<!channel> @everyone <@U123ABC> please look"}',
        'break ``` out ``` of the block',
        '```',
        'a & b > c',
      ],
    },
    { kind: 'text', text: 'see <!everyone>' },
  ],
  attachments: [
    {
      filename: 'prod-`backend`<!here>.txt',
      contentType: 'text/plain',
      content: '<!channel> in a file is fine',
    },
  ],
};

/** Every block is one Slack would accept (the stand-in's independent validator). */
function expectValid(message: SlackMessage): void {
  expect(validateBlocks(message.blocks)).toEqual([]);
  expect(message.text.length).toBeLessThanOrEqual(40_000);
}

/** The code-block contents of a message, fences removed. */
function codeOf(message: SlackMessage): string[] {
  return parsedStrings(message)
    .filter((s) => s.startsWith('```\n'))
    .map((s) => s.slice(4, -4));
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('renderBlocks', () => {
  it('lays out a status reply', async () => {
    const message = renderBlocks(status);
    expectValid(message);
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(
      '../../../fixtures/golden/slack-status.json',
    );
  });

  it('lays out an approval card with buttons carrying the verb and request id', async () => {
    const message = renderBlocks(card);
    expectValid(message);
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(
      actions?.type === 'actions' && actions.elements.map((e) => [e.action_id, e.value, e.style]),
    ).toEqual([
      ['tas:approve:r1a2b3c', 'approve:r1a2b3c', 'primary'],
      ['tas:reject:r1a2b3c', 'reject:r1a2b3c', 'danger'],
    ]);
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(
      '../../../fixtures/golden/slack-approval-card.json',
    );
  });

  it('escapes & < > in every piece of data text, so nothing can mention, broadcast or link', async () => {
    const message = renderBlocks(hostile);
    expectValid(message);
    expect(unescapedMentions(message)).toEqual([]);
    const all = parsedStrings(message).join('\n');
    expect(all).toContain('&lt;!channel&gt; @everyone &lt;@U123ABC&gt;');
    expect(all).toContain('&lt;https://evil.example|click me&gt; &amp; more');
    expect(all).toContain('a &amp; b &gt; c');
    expect(all).not.toMatch(/&(?!amp;|lt;|gt;)/);
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(
      '../../../fixtures/golden/slack-hostile.json',
    );
  });

  it('keeps excerpt lines in a code block that a line with ``` cannot close', () => {
    const code = codeOf(renderBlocks(hostile));
    expect(code).toHaveLength(1);
    expect(code[0]).not.toContain('```');
    expect(code[0]?.replace(/\u200b/g, '')).toBe(
      '{"msg":"&lt;!channel&gt; @everyone &lt;@U123ABC&gt; please look"}\nbreak ``` out ``` of the block\n```\na &amp; b &gt; c',
    );
  });

  it('sends attachments as files and says so in the message', () => {
    const message = renderBlocks(hostile);
    expect(message.files).toEqual([
      {
        filename: 'prod-`backend`<!here>.txt',
        title: 'prod-`backend`<!here>.txt',
        content: '<!channel> in a file is fine',
      },
    ]);
    expect(parsedStrings(message).join('\n')).toContain(
      ":paperclip: `prod-'backend'&lt;!here&gt;.txt` (28 bytes) is attached in the thread.",
    );
  });

  it('never sets link_names or parse, and marks every mrkdwn text verbatim', () => {
    const message = renderBlocks(hostile);
    expect(JSON.stringify(message)).not.toMatch(/link_names|"parse"/);
    const mrkdwn =
      JSON.stringify(message.blocks).match(
        /"type":"mrkdwn","text":"(?:[^"\\]|\\.)*","verbatim":true/g,
      ) ?? [];
    expect(mrkdwn.length).toBe(
      (JSON.stringify(message.blocks).match(/"type":"mrkdwn"/g) ?? []).length,
    );
  });

  describe('when the reply is bigger than one message', () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({
      label: `svc-${i}`,
      value: `${'x'.repeat(80)} <!channel> ${i}`,
      tone: 'warn' as const,
    }));
    const huge: Reply = {
      title: 'prod: DEGRADED',
      verdict: 'DEGRADED',
      blocks: [
        { kind: 'rows', title: 'Services', rows },
        {
          kind: 'fields',
          fields: Array.from({ length: 23 }, (_, i) => ({
            label: `f${i}`,
            value: i === 5 ? 'y'.repeat(2500) : `v${i}`,
          })),
        },
        { kind: 'excerpt', lines: ['z'.repeat(10_000)] },
      ],
      buttons: card.buttons ?? [],
    };

    it('shows what fits within every limit, keeps the buttons and puts all of it in a file', () => {
      const message = renderBlocks(huge);
      expectValid(message);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(message.blocks.at(-1)?.type).toBe('actions');
      const note = parsedStrings(message).find((s) => s.includes('too long for one message'));
      expect(note).toMatch(
        /^:page_facing_up: This answer is too long for one message: it is all in `prod-degraded\.txt`, attached in the thread \(shown here: the first \d+ of \d+ parts\)\.$/,
      );
      expect(message.files).toHaveLength(1);
      const file = message.files[0]?.content ?? '';
      for (const row of rows) expect(file).toContain(`! ${row.label.padEnd(7)}  ${row.value}`);
      expect(file).toContain('y'.repeat(2500));
      expect(file).toContain('z'.repeat(10_000));
      expect(file).toContain('Approve: /tas approve r1a2b3c');
    });

    it('splits a long field, a long line and a long text into blocks that lose no character', () => {
      const message = renderBlocks({
        title: 't',
        blocks: [
          { kind: 'excerpt', lines: ['<'.repeat(1000)] },
          { kind: 'text', text: '&'.repeat(700) },
        ],
      });
      expectValid(message);
      expect(message.files).toEqual([]);
      expect(codeOf(message).map(unescape).join('')).toBe('<'.repeat(1000));
      const texts = parsedStrings(message).filter((s) => s.startsWith('&amp;'));
      expect(texts.map(unescape).join('')).toBe('&'.repeat(700));
      const fields = renderBlocks({
        title: 't',
        blocks: [
          {
            kind: 'fields',
            fields: [
              { label: 'a', value: 'b' },
              { label: 'long', value: 'q'.repeat(2500) },
            ],
          },
        ],
      });
      expectValid(fields);
      expect(parsedStrings(fields).join('')).toContain('q'.repeat(2500));
    });
  });

  it('offers a button Slack could not take as a typed command', () => {
    const id = 'r'.repeat(300);
    const message = renderBlocks({
      title: 't',
      blocks: [],
      buttons: [{ label: 'Approve', verb: 'approve', requestId: id, style: 'primary' }],
    });
    expectValid(message);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(parsedStrings(message)).toContain(`Approve: \`/tas approve ${id}\``);
  });
});

describe('renderEphemeralPages', () => {
  it('continues a long ephemeral answer in further messages, attachments inline, nothing dropped', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `line ${i} <@U1>`);
    const pages = renderEphemeralPages({
      title: 'help',
      blocks: [{ kind: 'excerpt', lines }],
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: 'attached body' }],
      ephemeral: true,
    });
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expectValid(page);
      expect(page.files).toEqual([]);
      expect(unescapedMentions(page)).toEqual([]);
    }
    const code = pages.flatMap(codeOf).join('\n');
    for (const line of lines)
      expect(code).toContain(line.replace('<', '&lt;').replace('>', '&gt;'));
    expect(code).toContain('attached body');
  });
});

describe('parseActionValue', () => {
  it('reads the verb and request id a button carries', () => {
    expect(parseActionValue('approve:r1a2b3c')).toEqual({ verb: 'approve', requestId: 'r1a2b3c' });
    expect(parseActionValue('reject:r9')).toEqual({ verb: 'reject', requestId: 'r9' });
  });

  it('refuses values that are not ours', () => {
    expect(parseActionValue('delete:r1')).toBeUndefined();
    expect(parseActionValue(undefined)).toBeUndefined();
    expect(parseActionValue('approve:')).toBeUndefined();
  });
});
