import { describe, expect, it } from 'vitest';
import { renderMessage, type DiscordMessage } from '../../../../adapters/discord/render-message.js';
import { renderPlain } from '../../../../adapters/discord/render-plain.js';
import type { Reply } from '../../../../src/core/reply.js';

const golden = (name: string) => `../../../fixtures/golden/discord-${name}.json`;
const render = (reply: Reply) => renderMessage(reply, { command: 'tas' });

/** The message as golden JSON; long files are shown by size and first lines. */
function view(message: DiscordMessage): string {
  const files = message.files.map((f) =>
    f.text.length <= 1500
      ? f
      : {
          name: f.name,
          contentType: f.contentType,
          bytes: Buffer.byteLength(f.text),
          firstLines: f.text.split('\n').slice(0, 4),
        },
  );
  return `${JSON.stringify({ ...message, files }, null, 2)}\n`;
}

/** Everything a reader sees in the message body, with Discord's backslash escapes undone. */
function bodyText(message: DiscordMessage): string {
  const parts = [
    message.content,
    ...message.embeds.flatMap((e) => [
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ];
  return parts.join('\n').replace(/\\(.)/g, '$1');
}

function expectWithinLimits(message: DiscordMessage): void {
  expect(message.content.length).toBeLessThanOrEqual(2000);
  expect(message.embeds.length).toBeLessThanOrEqual(10);
  let total = 0;
  for (const embed of message.embeds) {
    expect((embed.description ?? '').length).toBeLessThanOrEqual(4096);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(25);
    expect(embed.description !== undefined || (embed.fields ?? []).length > 0).toBe(true);
    total += (embed.description ?? '').length;
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(256);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(1024);
      total += field.name.length + field.value.length;
    }
  }
  expect(total).toBeLessThanOrEqual(6000);
  expect(message.components.length).toBeLessThanOrEqual(5);
  for (const row of message.components) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const button of row.components) expect(button.custom_id.length).toBeLessThanOrEqual(100);
  }
  expect(message.files.length).toBeLessThanOrEqual(10);
  expect(message.allowedMentions).toEqual({ parse: [] });
}

/** Every piece of data text a reply carries. */
function atoms(reply: Reply): string[] {
  const out = [reply.title];
  for (const block of reply.blocks) {
    if (block.kind === 'text') out.push(block.text);
    if (block.kind === 'fields') out.push(...block.fields.flatMap((f) => [f.label, f.value]));
    if (block.kind === 'rows') out.push(...block.rows.flatMap((r) => [r.label, r.value]));
    if (block.kind === 'excerpt') out.push(...block.lines);
  }
  out.push(...(reply.attachments ?? []).map((a) => a.content));
  return out.filter((a) => a !== '');
}

/** The fences in a description: every ``` must be one the renderer wrote. */
function fenceCount(message: DiscordMessage): number {
  return message.embeds.reduce((n, e) => n + ((e.description ?? '').match(/```/g)?.length ?? 0), 0);
}

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
        { label: 'database', value: 'not deployed', tone: 'warn' },
      ],
    },
    {
      kind: 'rows',
      title: 'Probes',
      rows: [
        { label: 'liveness', value: '200 OK  4ms', tone: 'ok' },
        { label: 'readiness', value: '503 {"status":"UNAVAILABLE"}  12ms', tone: 'fail' },
      ],
    },
    { kind: 'text', text: 'checked in 84ms' },
  ],
};

const card: Reply = {
  title: 'restart prod_backend — waiting for approval [r1a2b3c]',
  blocks: [
    {
      kind: 'rows',
      title: 'What will change',
      rows: [
        {
          label: 'backend',
          value: 'force update: new tasks (spec version 1234, image 5.15.2)',
          tone: 'info',
        },
      ],
    },
    {
      kind: 'fields',
      fields: [
        { label: 'Requested by', value: 'alice at 03:12 UTC' },
        { label: 'Approvals', value: '0 of 1' },
        { label: 'Who may approve', value: 'lead (not the requester)' },
        { label: 'Expires', value: '03:27 UTC' },
      ],
    },
  ],
  buttons: [
    { label: 'Approve', verb: 'approve', requestId: 'r1a2b3c', style: 'primary' },
    { label: 'Reject', verb: 'reject', requestId: 'r1a2b3c', style: 'danger' },
  ],
  card: { requestId: 'r1a2b3c' },
};

const hostileLines = [
  '2026-11-22T03:10:00Z WARN case comment from jnovak: <!channel> @everyone <@U123ABC> <@&999> please look',
  '2026-11-22T03:10:01Z ERROR ``` closing the fence early @here',
  '```',
  '@everyone',
  '2026-11-22T03:10:02Z ERROR `inline` and ````four```` backticks',
];

const logs: Reply = {
  title: 'backend logs (last 15m): 212 lines of interest in 1,788',
  blocks: [
    {
      kind: 'rows',
      title: 'Runbook patterns',
      rows: [{ label: 'ECONNREFUSED', value: '×212', tone: 'fail' }],
    },
    {
      kind: 'excerpt',
      title: 'Excerpt (first 5 of 40 lines; all of it is attached)',
      lines: hostileLines,
    },
  ],
  attachments: [
    {
      filename: 'prod-backend-logs.txt',
      contentType: 'text/plain',
      content: hostileLines.join('\n'),
    },
  ],
};

const refusal: Reply = {
  title: 'Only lead may approve this request.',
  blocks: [{ kind: 'text', text: 'Ask dave or erin; `/tas jobs` lists what waits.' }],
  ephemeral: true,
};

describe('renderMessage', () => {
  it('lays out a status reply: verdict mark and colour, rows as aligned fenced lines', async () => {
    await expect(view(render(status))).toMatchFileSnapshot(golden('status'));
  });

  it('lays out an approval card: the facts as fields, Approve and Reject as buttons carrying verb and request id', async () => {
    const message = render(card);
    expect(message.components[0]?.components.map((b) => b.custom_id)).toEqual([
      'tas:approve:r1a2b3c',
      'tas:reject:r1a2b3c',
    ]);
    await expect(view(message)).toMatchFileSnapshot(golden('approval-card'));
  });

  it('shows hostile log lines verbatim inside a fence nobody can close', async () => {
    const message = render(logs);
    await expect(view(message)).toMatchFileSnapshot(golden('logs-excerpt'));
    expect(fenceCount(message)).toBe(4);
    for (const line of hostileLines)
      expect(bodyText(message).replaceAll('\u200b', '')).toContain(line);
    expect(message.files.map((f) => f.name)).toEqual(['prod-backend-logs.txt']);
  });

  it('escapes mention and markdown syntax in plain text, so it reads as typed', async () => {
    const message = render({
      title: 'cc @everyone <@123> **now**',
      blocks: [
        { kind: 'text', text: '<#456> [link](https://x.test) _x_ ~y~ > quote\n- item\n1. first' },
      ],
    });
    await expect(view(message)).toMatchFileSnapshot(golden('escaped-text'));
    const unescaped = (text: string) => text.replace(/\\./g, '');
    expect(unescaped(message.content.replace(/^\*\*|\*\*$/g, ''))).not.toMatch(/[@<*]/);
    expect(unescaped(message.embeds[0]?.description ?? '')).not.toMatch(/[@<[\]_~>]/);
    expect(bodyText(message)).toContain('<#456> [link](https://x.test) _x_ ~y~ > quote');
  });

  it('renders a refusal as a short message with no embed clutter', async () => {
    await expect(view(render(refusal))).toMatchFileSnapshot(golden('refusal'));
  });

  describe('when the reply is larger than a message', () => {
    const huge: Reply = {
      title: 'arango logs',
      blocks: [
        { kind: 'text', text: 'Before the excerpt.' },
        {
          kind: 'excerpt',
          title: 'Excerpt',
          lines: Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(90)}`),
        },
        { kind: 'text', text: 'After the excerpt.' },
      ],
    };

    it('says so first and attaches the whole reply, keeping the message within every limit', async () => {
      const message = render(huge);
      expectWithinLimits(message);
      await expect(view(message)).toMatchFileSnapshot(golden('overflow'));
      expect(message.embeds[0]?.description).toMatch(
        /^Only part of this reply fits in a Discord message; all of it is in the attached arango-logs\.txt\./,
      );
      expect(message.files[0]).toEqual({
        name: 'arango-logs.txt',
        contentType: 'text/plain; charset=utf-8',
        text: renderPlain(huge, '/tas'),
      });
    });

    it('keeps every part of a long excerpt fenced', () => {
      const message = render(huge);
      for (const embed of message.embeds.slice(1))
        expect(embed.description).toMatch(/^```\n[\s\S]*\n```$/);
    });
  });

  describe('within the limits, whatever the reply', () => {
    const long = (n: number, seed: string) =>
      Array.from({ length: n }, (_, i) => `${seed}${i} `)
        .join('')
        .slice(0, n);
    const cases: [string, Reply][] = [
      ['a title of 3000 characters', { title: long(3000, '@everyone'), blocks: [] }],
      [
        'a field value of 2000 characters',
        {
          title: 't',
          blocks: [{ kind: 'fields', fields: [{ label: 'reason', value: long(2000, 'why') }] }],
        },
      ],
      [
        '40 fields',
        {
          title: 't',
          blocks: [
            {
              kind: 'fields',
              fields: Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`, value: `v${i}` })),
            },
          ],
        },
      ],
      [
        'an empty field',
        { title: 't', blocks: [{ kind: 'fields', fields: [{ label: '', value: '' }] }] },
      ],
      [
        'a paragraph of 20000 characters',
        { title: 't', blocks: [{ kind: 'text', text: long(20000, 'word') }] },
      ],
      [
        'one excerpt line of 9000 characters',
        { title: 't', blocks: [{ kind: 'excerpt', lines: [long(9000, '`')] }] },
      ],
      [
        '30 buttons',
        {
          title: 't',
          blocks: [],
          buttons: Array.from({ length: 30 }, (_, i) => ({
            label: `B${i}`,
            verb: 'approve' as const,
            requestId: `r${i}`,
            style: 'primary' as const,
          })),
        },
      ],
      [
        'a request id too long for a custom_id',
        {
          title: 't',
          blocks: [],
          buttons: [
            { label: 'Approve', verb: 'approve', requestId: 'r'.repeat(120), style: 'primary' },
          ],
        },
      ],
      [
        '12 attachments',
        {
          title: 't',
          blocks: [],
          attachments: Array.from({ length: 12 }, (_, i) => ({
            filename: `f${i}.txt`,
            contentType: 'text/plain',
            content: `file ${i}`,
          })),
        },
      ],
      [
        '200 rows',
        {
          title: 't',
          blocks: [
            {
              kind: 'rows',
              rows: Array.from({ length: 200 }, (_, i) => ({
                label: `service-${i}`,
                value: '1/1  5.15.2  a long value to fill the space',
                tone: 'ok' as const,
              })),
            },
          ],
        },
      ],
    ];

    it.each(cases)('stays within them for %s', (_name, reply) => {
      expectWithinLimits(render(reply));
    });

    it.each(cases)(
      'loses nothing for %s: what the message cannot show is in a file',
      (_name, reply) => {
        const message = render(reply);
        const squash = (text: string) => text.replace(/[\s\u200b]+/g, '');
        const everywhere = squash(
          `${bodyText(message)}\n${message.files.map((f) => f.text).join('\n')}`,
        );
        const ids = new Set(
          message.components.flatMap((row) => row.components.map((b) => b.custom_id)),
        );
        for (const atom of atoms(reply))
          expect(everywhere.includes(squash(atom)), atom.slice(0, 60)).toBe(true);
        for (const b of reply.buttons ?? []) {
          expect(
            ids.has(`tas:${b.verb}:${b.requestId}`) ||
              everywhere.includes(squash(`/tas ${b.verb} ${b.requestId}`)),
          ).toBe(true);
        }
      },
    );

    it('keeps buttons that cannot be buttons as the command to type', () => {
      const message = render({
        title: 't',
        blocks: [],
        buttons: [
          { label: 'Approve', verb: 'approve', requestId: 'r'.repeat(120), style: 'primary' },
        ],
      });
      expect(message.components).toEqual([]);
      expect(bodyText(message)).toContain(`Approve: /tas approve ${'r'.repeat(120)}`);
    });

    it('merges attachments past ten into one file', () => {
      const message = render(cases[8]![1]);
      expect(message.files.map((f) => f.name)).toEqual([
        'f0.txt',
        'f1.txt',
        'f2.txt',
        'f3.txt',
        'f4.txt',
        'f5.txt',
        'f6.txt',
        'f7.txt',
        'f8.txt',
        'more-attachments.txt',
      ]);
      expect(message.files[9]?.text).toBe(
        '===== f9.txt =====\nfile 9\n\n===== f10.txt =====\nfile 10\n\n===== f11.txt =====\nfile 11',
      );
    });
  });
});
