import { err, ok, type Result } from '../core/result.js';
import { issue, type ConfigIssue } from './config-issue.js';
import type { Env } from './interpolate.js';
import { dockerHostPattern } from './schema.js';

/** pino's levels; `silent` turns logging off. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Every default the process env can override, in one place. */
export const envDefaults = {
  port: 3000,
  logLevel: 'info',
} as const satisfies { readonly port: number; readonly logLevel: LogLevel };

export interface SlackOptions {
  /** `socket` when `SLACK_APP_TOKEN` is set (it wins over a signing secret), else `http`. */
  readonly mode: 'socket' | 'http';
  readonly botToken: string;
  readonly appToken?: string;
  readonly signingSecret?: string;
  readonly apiUrl?: string;
}

export interface DiscordOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly apiUrl?: string;
  /** Register slash commands in this guild only (instant), instead of globally. */
  readonly guildId?: string;
}

/** The process env, validated. Read once at boot by the composition root, never elsewhere. */
export interface EnvOptions {
  readonly redisUrl?: string;
  readonly slack?: SlackOptions;
  readonly discord?: DiscordOptions;
  /**
   * The Docker host for environments whose config gives no `docker.host`; it never overrides
   * one that is given. Applied by `loadConfig`, which receives the same env.
   */
  readonly dockerHost?: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  /** False when neither Slack nor Discord is configured: `start` opens the console chat. */
  readonly chatConfigured: boolean;
  /** Token values and passwords; redact each wherever text leaves the process. */
  readonly secrets: readonly string[];
}

const SNOWFLAKE = /^\d{15,22}$/;

/** Reads one variable; empty counts as unset (as `VAR=` in an env file means). */
function reader(env: Env, issues: ConfigIssue[]) {
  return {
    get(name: string): string | undefined {
      const value = env[name];
      return value === undefined || value === '' ? undefined : value;
    },
    fail(name: string, message: string, hint?: string): undefined {
      issues.push(issue(name, message, hint));
      return undefined;
    },
  };
}
type Reader = ReturnType<typeof reader>;

function url(
  r: Reader,
  name: string,
  protocols: readonly string[],
  example: string,
): string | undefined {
  const value = r.get(name);
  if (value === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    return r.fail(name, 'is not a URL', `e.g. ${name}=${example}`);
  }
  if (!protocols.includes(protocol)) {
    return r.fail(
      name,
      `must use ${protocols.map((p) => `${p}//`).join(' or ')}`,
      `e.g. ${name}=${example}`,
    );
  }
  return value;
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

function readSlack(r: Reader): SlackOptions | undefined {
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

function snowflake(r: Reader, name: string): string | undefined {
  const value = r.get(name);
  if (value === undefined || SNOWFLAKE.test(value)) return value;
  return r.fail(
    name,
    'is not a Discord id (a 17-20 digit number)',
    'copy it with Developer Mode on: right-click → Copy ID',
  );
}

function readDiscord(r: Reader): DiscordOptions | undefined {
  const raw = r.get('DISCORD_TOKEN');
  const tokenValue =
    raw === undefined
      ? undefined
      : raw.startsWith('Bot ')
        ? r.fail(
            'DISCORD_TOKEN',
            'starts with "Bot "',
            'set the bare token; the client adds the "Bot " prefix itself',
          )
        : /\s/.test(raw)
          ? r.fail(
              'DISCORD_TOKEN',
              'contains whitespace',
              'copy the token again without spaces or line breaks',
            )
          : raw;
  const applicationId = snowflake(r, 'DISCORD_APPLICATION_ID');
  const guildId = snowflake(r, 'DISCORD_GUILD_ID');
  const apiUrl = url(r, 'DISCORD_API_URL', ['http:', 'https:'], 'https://discord.com/api');
  if (raw !== undefined && r.get('DISCORD_APPLICATION_ID') === undefined) {
    r.fail(
      'DISCORD_APPLICATION_ID',
      'is required when DISCORD_TOKEN is set',
      'copy the Application ID from the Discord Developer Portal → General Information',
    );
  }
  for (const name of ['DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID']) {
    if (raw === undefined && r.get(name) !== undefined)
      r.fail(
        name,
        'is set, but DISCORD_TOKEN is not',
        'set DISCORD_TOKEN to the bot token, or unset the other Discord variables',
      );
  }
  if (tokenValue === undefined || applicationId === undefined) return undefined;
  return {
    token: tokenValue,
    applicationId,
    ...(apiUrl !== undefined && { apiUrl }),
    ...(guildId !== undefined && { guildId }),
  };
}

function readPort(r: Reader): number {
  const value = r.get('PORT');
  if (value === undefined) return envDefaults.port;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (port >= 1 && port <= 65535) return port;
  r.fail(
    'PORT',
    'must be a port number from 1 to 65535',
    `unset it for the default ${envDefaults.port}`,
  );
  return envDefaults.port;
}

function readLogLevel(r: Reader): LogLevel {
  const value = r.get('LOG_LEVEL')?.toLowerCase();
  if (value === undefined) return envDefaults.logLevel;
  const level = logLevels.find((l) => l === value);
  if (level !== undefined) return level;
  r.fail(
    'LOG_LEVEL',
    `"${value}" is not a log level`,
    `use one of ${logLevels.join(', ')} (default ${envDefaults.logLevel})`,
  );
  return envDefaults.logLevel;
}

function readDockerHost(r: Reader): string | undefined {
  const value = r.get('DOCKER_HOST');
  if (value === undefined || dockerHostPattern.test(value)) return value;
  return r.fail(
    'DOCKER_HOST',
    'expected unix:///path/to/docker.sock or tcp://host:port',
    'e.g. DOCKER_HOST=unix:///var/run/docker.sock or tcp://docker-socket-proxy:2375',
  );
}

function secretsOf(options: Omit<EnvOptions, 'secrets' | 'chatConfigured'>): string[] {
  const secrets = [
    options.slack?.botToken,
    options.slack?.appToken,
    options.slack?.signingSecret,
    options.discord?.token,
  ];
  if (options.redisUrl !== undefined) {
    const password = new URL(options.redisUrl).password;
    secrets.push(password, decodeURIComponent(password));
  }
  return [...new Set(secrets.filter((s): s is string => s !== undefined && s !== ''))];
}

/**
 * The process env as typed options; every problem is listed at once with a hint. Empty values
 * count as unset. `TAS_CHATOPS_CONFIG` belongs to `loadConfig`.
 */
export function readEnvOptions(env: Env): Result<EnvOptions, ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const r = reader(env, issues);
  const redisUrl = url(r, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://redis:6379');
  const slack = readSlack(r);
  const discord = readDiscord(r);
  const dockerHost = readDockerHost(r);
  const options = {
    ...(redisUrl !== undefined && { redisUrl }),
    ...(slack !== undefined && { slack: Object.freeze(slack) }),
    ...(discord !== undefined && { discord: Object.freeze(discord) }),
    ...(dockerHost !== undefined && { dockerHost }),
    port: readPort(r),
    logLevel: readLogLevel(r),
  };
  if (issues.length > 0) return err(issues);
  const secrets = Object.freeze(secretsOf(options));
  return ok(
    Object.freeze({
      ...options,
      chatConfigured: slack !== undefined || discord !== undefined,
      secrets,
    }),
  );
}
