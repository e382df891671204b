import { describe, expect, it } from 'vitest';
import { renderPlain } from '../../../../adapters/slack/render-plain.js';
import { renderPlainText } from '../../../../src/core/render-plain-text.js';
import type { Reply } from '../../../../src/core/reply.js';

const card: Reply = {
  title: 'restart <!here> backend',
  blocks: [{ kind: 'text', text: 'a & b <@U1>' }],
  buttons: [{ label: 'Reject', verb: 'reject', requestId: 'r1', style: 'danger' }],
};

describe('renderPlain (Slack file)', () => {
  it('is the shared plain text, unescaped, ending in a newline', () => {
    expect(renderPlain(card, 'ops')).toBe(`${renderPlainText(card, { slash: '/ops' })}\n`);
    expect(renderPlain(card, 'ops')).toContain('a & b <@U1>');
    expect(renderPlain(card, 'ops')).toContain('[Reject: /ops reject r1]');
  });
});
