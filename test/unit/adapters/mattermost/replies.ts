import type { Reply } from '../../../../src/core/reply.js';

/** The replies the Mattermost render tests lay out (the same cases as Slack's and Discord's). */
export const status: Reply = {
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
    { kind: 'text', text: 'checked in 84ms' },
  ],
};

export const card: Reply = {
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
      ],
    },
  ],
  buttons: [
    { label: 'Approve', verb: 'approve', requestId: 'r1a2b3c', style: 'primary' },
    { label: 'Reject', verb: 'reject', requestId: 'r1a2b3c', style: 'danger' },
  ],
  card: { requestId: 'r1a2b3c' },
};

/** Every mention kind Mattermost knows, in every place data text reaches. */
export const hostile: Reply = {
  title: 'backend logs @here & ~town-square',
  blocks: [
    {
      kind: 'rows',
      title: 'Most @channel',
      rows: [
        {
          label: '×3 @alice',
          value: 'case comment: @all **@here** (@bob) @devs. <!channel> <@U123> .@here _@all_',
          tone: 'warn',
        },
      ],
    },
    { kind: 'fields', fields: [{ label: '@devs', value: '~off-topic and @Channel' }] },
    {
      kind: 'excerpt',
      title: 'Excerpt @here',
      lines: ['{"msg":"@channel please look"}', 'break ``` out ``` of the block', '```'],
    },
    { kind: 'text', text: '# not a heading\n- not a list\n[click](https://evil.example) `x`' },
  ],
  attachments: [
    { filename: 'prod-@here.txt', contentType: 'text/plain', content: '@channel in a file' },
  ],
};
