import { url, type Reader } from './env-reader.js';

export interface SlackOptions {
  /** `socket` when `SLACK_APP_TOKEN` is set (it wins over a signing secret), else `http`. */
  readonly mode: 'socket' | 'http';
  readonly botToken: string;
  readonly appToken?: string;
  readonly signingSecret?: string;
  readonly apiUrl?: string;
}

function token(
  r: Reader,
  name: string,
  prefix: string,
  wrongPrefixes: Readonly<Record<string, string>>,
): string | undefined {
  const value = r.get(name);
  if (value === undefined || value.startsWith(prefix)) {
    return value !== undefined && /\s/.test(value)
      ? r.fail(name, 'contains whitespace', 'copy the token again without spaces or line breaks')
      : value;
  }
  const known = Object.entries(wrongPrefixes).find(([wrong]) => value.startsWith(wrong))?.[1];
  return r.fail(
    name,
    `must start with ${prefix}`,
    known ?? `copy the token that starts with ${prefix} from the Slack app settings`,
  );
}

/** `SLACK_*`: Socket Mode with an app token, else HTTP mode with the signing secret. */
export function readSlack(r: Reader): SlackOptions | undefined {
  const botToken = token(r, 'SLACK_BOT_TOKEN', 'xoxb-', {
    'xapp-':
      'that is an app-level token: put it in SLACK_APP_TOKEN; the bot token (OAuth & Permissions → Bot User OAuth Token) starts with xoxb-',
    'xoxp-': 'that is a user token; use the Bot User OAuth Token (xoxb-) from OAuth & Permissions',
  });
  const appToken = token(r, 'SLACK_APP_TOKEN', 'xapp-', {
    'xoxb-':
      'that is the bot token: put it in SLACK_BOT_TOKEN; the app-level token (Basic Information → App-Level Tokens, scope connections:write) starts with xapp-',
  });
  const signingSecret = r.get('SLACK_SIGNING_SECRET');
  const apiUrl = url(r, 'SLACK_API_URL', ['http:', 'https:'], 'https://slack.com/api/');
  const hasBot = r.get('SLACK_BOT_TOKEN') !== undefined;
  const hasApp = r.get('SLACK_APP_TOKEN') !== undefined;
  if (hasBot && !hasApp && signingSecret === undefined) {
    r.fail(
      'SLACK_BOT_TOKEN',
      'is set, but neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is',
      'set SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET for HTTP mode',
    );
  }
  if (!hasBot && (hasApp || signingSecret !== undefined)) {
    const by = hasApp ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET';
    r.fail(
      'SLACK_BOT_TOKEN',
      `is required when ${by} is set`,
      'set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…), or unset the other Slack variables',
    );
  }
  if (botToken === undefined || (appToken === undefined && signingSecret === undefined))
    return undefined;
  return {
    mode: appToken === undefined ? 'http' : 'socket',
    botToken,
    ...(appToken !== undefined && { appToken }),
    ...(signingSecret !== undefined && { signingSecret }),
    ...(apiUrl !== undefined && { apiUrl }),
  };
}
