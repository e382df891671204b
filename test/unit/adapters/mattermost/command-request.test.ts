import { describe, expect, it } from 'vitest';
import { parseCommandForm } from '../../../../adapters/mattermost/command-request.js';
import { commandTokenValid } from '../../../../adapters/mattermost/handle-command.js';
import { MATTERMOST_LIMITS } from '../../../../adapters/mattermost/mattermost-limits.js';

/** A command body as the server encodes it (`url.Values.Encode()`: keys sorted, space `+`). */
function form(fields: Record<string, string>): Buffer {
  const params = new URLSearchParams(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
  return Buffer.from(params.toString());
}

const fields = {
  channel_id: 'c'.repeat(26),
  channel_name: 'ops',
  command: '/tas',
  response_url: 'https://chat.example.com/hooks/commands/abc',
  root_id: '',
  team_domain: 'team',
  team_id: 't'.repeat(26),
  text: 'logs backend --since 15m',
  token: 'command-token',
  trigger_id: 'trigger-1',
  user_id: 'u'.repeat(26),
  user_name: 'alice',
};

describe('parseCommandForm', () => {
  describe('when the body is a command request', () => {
    it('reads the fields the adapter needs', () => {
      expect(parseCommandForm(form(fields))).toEqual({
        token: 'command-token',
        userId: 'u'.repeat(26),
        channelId: 'c'.repeat(26),
        command: '/tas',
        text: 'logs backend --since 15m',
        triggerId: 'trigger-1',
        responseUrl: 'https://chat.example.com/hooks/commands/abc',
      });
    });
  });

  describe('when the body is malformed', () => {
    it.each([
      ['no trigger id', form({ ...fields, trigger_id: '' })],
      ['no user id', form({ ...fields, user_id: '' })],
      ['no token', form({ ...fields, token: '' })],
      ['a token twice', Buffer.concat([form(fields), Buffer.from('&token=other')])],
      ['bytes that are not UTF-8', Buffer.concat([form(fields), Buffer.from([0xff, 0xfe])])],
      [
        'more bytes than a command can have',
        Buffer.alloc(MATTERMOST_LIMITS.commandBodyBytes + 1, 'a'),
      ],
    ])('refuses %s', (_what, body) => {
      expect(parseCommandForm(body)).toBeUndefined();
    });
  });
});

describe('commandTokenValid', () => {
  const expected = 'command-token';
  describe('when the token in the body and in the header is the command token', () => {
    it('accepts the request', () => {
      expect(commandTokenValid(expected, { token: expected }, `Token ${expected}`)).toBe(true);
    });
  });

  describe('when either token is wrong', () => {
    it.each([
      ['a wrong body token', 'command-tokeN', `Token ${expected}`],
      ['a wrong header token', expected, 'Token command-tokeX'],
      ['both wrong', 'x', 'Token x'],
      ['an empty body token', '', `Token ${expected}`],
    ])('refuses %s', (_what, token, header) => {
      expect(commandTokenValid(expected, { token }, header)).toBe(false);
    });
  });
});
