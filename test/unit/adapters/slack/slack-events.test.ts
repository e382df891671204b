import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { actionEvent, commandEvent } from '../../../../adapters/slack/slack-events.js';
import { blockActions, slashCommand } from '../../../stand-ins/slack/payloads.js';

const at = new Date('2026-11-30T03:10:00Z');

describe('commandEvent', () => {
  it('takes the user, channel and text of the verified command', () => {
    const fields = slashCommand({
      user: 'U01ALICE',
      channel: 'C0OPS',
      text: '  logs backend --since 15m ',
      responseUrl: 'http://127.0.0.1/r',
      triggerId: '123.456.abc',
    });
    expect(commandEvent(fields as unknown as SlashCommand, at)).toEqual({
      id: 'slack-cmd-123.456.abc',
      platform: 'slack',
      userId: 'U01ALICE',
      channelId: 'C0OPS',
      text: 'logs backend --since 15m',
      receivedAt: at,
    });
  });
});

describe('actionEvent', () => {
  const click = (message: { ts: string; thread_ts?: string }, value: string) => {
    const body = blockActions({
      user: 'U04DAVE',
      channel: 'C0OPS',
      message,
      actionId: `tas:${value}`,
      value,
      responseUrl: 'http://127.0.0.1/r',
      actionTs: '1700000000.000100',
    }) as unknown as BlockAction<ButtonAction>;
    return actionEvent(body, body.actions[0] as ButtonAction, at);
  };

  it('turns an approve click into the verb, the request id and the card it sat on, from the clicker', () => {
    expect(click({ ts: '1700000000.000001' }, 'approve:r1a2b3c')).toEqual({
      id: 'slack-act-1700000000.000100-U04DAVE',
      platform: 'slack',
      userId: 'U04DAVE',
      channelId: 'C0OPS',
      threadId: '1700000000.000001',
      text: '',
      action: { verb: 'approve', requestId: 'r1a2b3c', messageRef: '1700000000.000001' },
      receivedAt: at,
    });
  });

  it('answers in the thread the card sits in', () => {
    expect(
      click({ ts: '1700000000.000009', thread_ts: '1700000000.000001' }, 'reject:r9')?.threadId,
    ).toBe('1700000000.000001');
  });

  it('ignores a button value that is not ours', () => {
    expect(click({ ts: '1' }, 'delete:everything')).toBeUndefined();
  });
});
