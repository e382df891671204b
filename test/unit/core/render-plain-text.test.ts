import { describe, expect, it } from 'vitest';
import { renderPlainText } from '../../../src/core/render-plain-text.js';
import type { Reply } from '../../../src/core/reply.js';

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

const tas = { slash: '/tas' };

describe('renderPlainText', () => {
  it('lays out a status reply as the console shows it and the chat files carry it', async () => {
    await expect(renderPlainText(status, tas)).toMatchFileSnapshot(
      '../../fixtures/golden/plain-text-status.txt',
    );
  });

  it('prints data text exactly as given, with nothing interpreted', () => {
    expect(renderPlainText(status, tas)).toContain('<!channel> connect ECONNREFUSED');
  });

  describe('when the config names another slash command', () => {
    it('offers each button as that command', () => {
      const text = renderPlainText(status, { slash: '/ops' });
      expect(text).toContain('[Approve: /ops approve r1]  [Reject: /ops reject r1]');
      expect(text).not.toContain('/tas');
    });
  });

  describe('when the title already says the verdict', () => {
    it('does not repeat it, and shows fields as label: value', () => {
      const text = renderPlainText(
        {
          title: 'staging: OK',
          verdict: 'OK',
          blocks: [{ kind: 'fields', fields: [{ label: 'Replicas', value: '3' }] }],
        },
        tas,
      );
      expect(text).toBe('staging: OK\n\nReplicas: 3');
    });

    it('puts the verdict in front of a title that does not say it', () => {
      expect(renderPlainText({ title: 'prod', verdict: 'DEGRADED', blocks: [] }, tas)).toBe(
        '[DEGRADED] prod',
      );
    });
  });
});

describe('renderPlainText rows', () => {
  describe('when rows have no labels (evidence)', () => {
    it('shows each glyph and value with no gap for the missing label', () => {
      const text = renderPlainText(
        {
          title: 'Verified: restart backend',
          blocks: [
            {
              kind: 'rows',
              rows: [
                { label: '', value: '1/1 running', tone: 'ok' },
                { label: '', value: 'probe /health failed once', tone: 'warn' },
              ],
            },
          ],
        },
        tas,
      );
      expect(text).toBe(
        'Verified: restart backend\n\n  ✓ 1/1 running\n  ! probe /health failed once',
      );
    });
  });

  describe('when one label is very long', () => {
    it('pads the others to at most 40 characters', () => {
      const long = 'l'.repeat(60);
      const text = renderPlainText(
        {
          title: 't',
          blocks: [
            {
              kind: 'rows',
              rows: [
                { label: long, value: 'v1', tone: 'info' },
                { label: 'a', value: 'v2', tone: 'info' },
              ],
            },
          ],
        },
        tas,
      );
      expect(text.split('\n').slice(2)).toEqual([`  · ${long}  v1`, `  · a${' '.repeat(39)}  v2`]);
    });
  });
});
