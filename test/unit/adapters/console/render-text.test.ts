import { describe, expect, it } from 'vitest';
import { renderText } from '../../../../adapters/console/render-text.js';
import type { Reply } from '../../../../src/core/reply.js';

const status: Reply = {
  title: 'prod: DOWN',
  verdict: 'DOWN',
  blocks: [
    {
      kind: 'rows',
      title: 'Services',
      rows: [
        { label: 'backend', value: '1/1  5.15.2', tone: 'ok' },
        { label: 'backend-cron', value: '0/1  restart loop (5 failed tasks in 10m)', tone: 'fail' },
        { label: 'redis', value: '0/0  scaled to 0', tone: 'warn' },
      ],
    },
    {
      kind: 'excerpt',
      title: 'backend',
      lines: ['{"level":50,"msg":"<!channel> connect ECONNREFUSED"} ×212'],
    },
    { kind: 'text', text: 'checked in 84ms' },
  ],
  buttons: [
    { label: 'Approve', verb: 'approve', requestId: 'r1', style: 'primary' },
    { label: 'Reject', verb: 'reject', requestId: 'r1', style: 'danger' },
  ],
  attachments: [
    { filename: 'backend-logs.txt', contentType: 'text/plain', content: 'x'.repeat(10) },
  ],
};

describe('renderText', () => {
  it('lays out a status reply for a terminal', async () => {
    await expect(renderText(status)).toMatchFileSnapshot(
      '../../../fixtures/golden/console-status.txt',
    );
  });

  it('prints data text exactly as given, with nothing interpreted', () => {
    expect(renderText(status)).toContain('<!channel> connect ECONNREFUSED');
  });
});
