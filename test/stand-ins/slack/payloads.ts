import { randomBytes } from 'node:crypto';

/** Team and app the stand-in pretends to be. */
export const TEAM = { id: 'T0STANDIN', domain: 'standin' } as const;
export const APP_ID = 'A0STANDIN';

const id = () => randomBytes(6).toString('hex');

let clicks = 0;
/** Slack's `action_ts` has microseconds: two clicks never share one. */
function nextActionTs(): string {
  clicks += 1;
  return `${Math.floor(Date.now() / 1000)}.${String((Date.now() % 1000) * 1000 + (clicks % 1000)).padStart(6, '0')}`;
}

export interface SlashCommandInput {
  readonly user: string;
  readonly channel: string;
  readonly text: string;
  readonly command?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
}

/** A slash command's fields, in the order a real request has them (form fields, as Slack posts them). */
export function slashCommand(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channel,
    channel_name: 'ops',
    user_id: input.user,
    user_name: input.user.toLowerCase(),
    command: input.command ?? '/tas',
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? `${Date.now()}.${id()}`,
  };
}

export interface ButtonClickInput {
  readonly user: string;
  readonly channel: string;
  /** The message the button sits on. */
  readonly message: { readonly ts: string; readonly thread_ts?: string; readonly blocks?: unknown };
  readonly actionId: string;
  readonly value: string;
  readonly responseUrl: string;
  readonly actionTs?: string;
}

/** A `block_actions` payload for one button click (the shape bolt-python's scenario tests use). */
export function blockActions(input: ButtonClickInput): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: {
      id: input.user,
      username: input.user.toLowerCase(),
      name: input.user.toLowerCase(),
      team_id: TEAM.id,
    },
    api_app_id: APP_ID,
    token: 'verification-token',
    container: {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: input.channel,
      is_ephemeral: false,
    },
    trigger_id: `${Date.now()}.${id()}`,
    team: { id: TEAM.id, domain: TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: 'ops' },
    message: {
      type: 'message',
      ts: input.message.ts,
      ...(input.message.thread_ts && { thread_ts: input.message.thread_ts }),
      text: '',
      user: 'U0BOT',
      bot_id: 'B0BOT',
      blocks: input.message.blocks ?? [],
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: id(),
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: input.value,
        type: 'button',
        action_ts: input.actionTs ?? nextActionTs(),
      },
    ],
  };
}
