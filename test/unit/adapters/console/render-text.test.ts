import { describe, expect, it } from 'vitest';
import { renderText } from '../../../../adapters/console/render-text.js';
import { renderPlainText } from '../../../../src/core/render-plain-text.js';
import type { Reply } from '../../../../src/core/reply.js';

const card: Reply = {
  title: 'restart backend — waiting for approval [r1]',
  blocks: [{ kind: 'excerpt', lines: ['<@U1> `x`'] }],
  buttons: [{ label: 'Approve', verb: 'approve', requestId: 'r1', style: 'primary' }],
};

describe('renderText', () => {
  it('writes the shared plain text as is, with the configured command on its buttons', () => {
    expect(renderText(card, '/ops')).toBe(renderPlainText(card, { slash: '/ops' }));
    expect(renderText(card, '/ops')).toContain('[Approve: /ops approve r1]');
  });
});
