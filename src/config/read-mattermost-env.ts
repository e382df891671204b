import { url, type Reader } from './env-reader.js';

export interface MattermostOptions {
  /** The server's base URL (`https://chat.example.com`); the REST API is under `/api/v4`. */
  readonly url: string;
  /** The bot account's personal access token, sent as `Authorization: Bearer …`. */
  readonly token: string;
  /** The slash command's token: the only proof that a command request came from the server. */
  readonly commandToken: string;
  /** The bot's base URL as the Mattermost server reaches it; buttons call `<it>/mattermost/action`. */
  readonly callbackUrl: string;
}

const NAMES = [
  'MATTERMOST_URL',
  'MATTERMOST_TOKEN',
  'MATTERMOST_COMMAND_TOKEN',
  'MATTERMOST_CALLBACK_URL',
] as const;

const HOW_TO_FIND: Readonly<Record<(typeof NAMES)[number], string>> = {
  MATTERMOST_URL: "set it to the server's address, e.g. https://chat.example.com",
  MATTERMOST_TOKEN:
    'create one for the bot account: System Console → Integrations → Bot Accounts → the bot → Create New Token',
  MATTERMOST_COMMAND_TOKEN:
    "copy the slash command's token: Integrations → Slash Commands → /tas → Token",
  MATTERMOST_CALLBACK_URL:
    "set it to the bot's address as the Mattermost server reaches it, e.g. https://tas-chatops.example.com",
};

/** A token as pasted: no whitespace, no `Bearer `/`Token ` prefix (the client adds its own). */
function token(r: Reader, name: string): string | undefined {
  const value = r.get(name);
  if (value === undefined) return undefined;
  if (/^(bearer|token)\s/i.test(value))
    return r.fail(name, `starts with "${value.split(/\s/)[0] ?? ''} "`, 'set the bare token');
  if (/\s/.test(value))
    return r.fail(
      name,
      'contains whitespace',
      'copy the token again without spaces or line breaks',
    );
  return value;
}

/** A base URL: http(s), and not the REST API or the action path the bot appends itself. */
function baseUrl(r: Reader, name: string, example: string, appended: string): string | undefined {
  const value = url(r, name, ['http:', 'https:'], example);
  if (value === undefined) return undefined;
  if (new URL(value).pathname.replace(/\/+$/, '').endsWith(appended))
    return r.fail(name, `ends with ${appended}`, `leave ${appended} out, e.g. ${name}=${example}`);
  return value.replace(/\/+$/, '');
}

/**
 * `MATTERMOST_*`: all four together or none. The two tokens are different things (the bot's
 * token opens the REST API, the command token only authenticates the server's command requests),
 * so one pasted into both is refused.
 */
export function readMattermost(r: Reader): MattermostOptions | undefined {
  const serverUrl = baseUrl(r, 'MATTERMOST_URL', 'https://chat.example.com', '/api/v4');
  const botToken = token(r, 'MATTERMOST_TOKEN');
  const commandToken = token(r, 'MATTERMOST_COMMAND_TOKEN');
  const callbackUrl = baseUrl(
    r,
    'MATTERMOST_CALLBACK_URL',
    'https://tas-chatops.example.com',
    '/mattermost/action',
  );
  const set = NAMES.filter((name) => r.get(name) !== undefined);
  if (set.length === 0) return undefined;
  for (const name of NAMES.filter((n) => !set.includes(n)))
    r.fail(
      name,
      `is required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set`,
      HOW_TO_FIND[name],
    );
  if (botToken !== undefined && botToken === commandToken)
    r.fail(
      'MATTERMOST_COMMAND_TOKEN',
      'is the same as MATTERMOST_TOKEN',
      "MATTERMOST_TOKEN is the bot account's access token; the command token is shown with the slash command",
    );
  if (
    serverUrl === undefined ||
    botToken === undefined ||
    commandToken === undefined ||
    callbackUrl === undefined ||
    botToken === commandToken
  )
    return undefined;
  return { url: serverUrl, token: botToken, commandToken, callbackUrl };
}
