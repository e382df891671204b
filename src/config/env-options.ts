import { err, ok, type Result } from '../core/result.js';
import type { ConfigIssue } from './config-issue.js';
import { reader, type Reader } from './env-reader.js';
import type { Env } from './interpolate.js';
import { readDiscord, type DiscordOptions } from './read-discord-env.js';
import { readMattermost, type MattermostOptions } from './read-mattermost-env.js';
import { readRedisUrl, readRedisWait, redisSecrets, type RedisWait } from './read-redis-env.js';
import { readSlack, type SlackOptions } from './read-slack-env.js';
import { dockerHostPattern } from './schema-platforms.js';

/** pino's levels; `silent` turns logging off. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Every default the process env can override, in one place. */
export const envDefaults = {
  port: 3000,
  logLevel: 'info',
} as const satisfies { readonly port: number; readonly logLevel: LogLevel };

export type { DiscordOptions, MattermostOptions, SlackOptions };

/** The process env, validated. Read once at boot by the composition root, never elsewhere. */
export interface EnvOptions {
  /** `redis://`, `rediss://`, or a Sentinel set: `redis+sentinel://host:26379,…/primary-name`. */
  readonly redisUrl?: string;
  /** Replicas that must acknowledge votes, request changes and audit entries (`WAIT`); unset: none. */
  readonly redisWait?: RedisWait;
  readonly slack?: SlackOptions;
  readonly discord?: DiscordOptions;
  readonly mattermost?: MattermostOptions;
  /**
   * The Docker host for environments whose config gives no `docker.host`; it never overrides
   * one that is given. Applied by `loadConfig`, which receives the same env.
   */
  readonly dockerHost?: string;
  readonly port: number;
  /** `HTTP_HOST`: the address the HTTP server binds (unset: every interface, 0.0.0.0). */
  readonly httpHost?: string;
  /** `TAS_CHATOPS_DATA_DIR`: where the embedded Redis keeps its data (unset: ./.tas-chatops). */
  readonly dataDir?: string;
  readonly logLevel: LogLevel;
  /** False when no chat platform (Slack, Discord, Mattermost) is configured: `start` opens the console chat. */
  readonly chatConfigured: boolean;
  /** Token values and passwords; redact each wherever text leaves the process. */
  readonly secrets: readonly string[];
  /**
   * TEST ONLY (`TAS_TEST_DISPATCH_DELAY_MS`): every dispatch of this process is held back this
   * long, so an integration test can kill a process holding acknowledged, unanswered commands.
   */
  readonly testDispatchDelayMs?: number;
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

function readHttpHost(r: Reader): string | undefined {
  const value = r.get('HTTP_HOST');
  if (value === undefined || /^[\w.:-]+$/.test(value)) return value;
  return r.fail(
    'HTTP_HOST',
    'is not an address',
    'e.g. HTTP_HOST=127.0.0.1 (loopback only) or HTTP_HOST=0.0.0.0',
  );
}

/** Secret variables that may name a file instead (`SLACK_BOT_TOKEN_FILE=/run/secrets/slack_bot_token`). */
export const fileVariables = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'DISCORD_TOKEN',
  'MATTERMOST_TOKEN',
  'MATTERMOST_COMMAND_TOKEN',
  'REDIS_URL',
] as const;

/**
 * The env with each `<NAME>_FILE` of `fileVariables` read into `<NAME>` (Docker secrets), one
 * trailing newline dropped. Run before `readEnvOptions` and `loadConfig`, so both see the value.
 */
export function resolveFileVariables(
  env: Env,
  readFile: (path: string) => string,
): Result<Env, ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const r = reader(env, issues);
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of fileVariables) {
    const path = r.get(`${name}_FILE`);
    if (path === undefined) continue;
    if (r.get(name) !== undefined) {
      r.fail(`${name}_FILE`, `is set, and so is ${name}`, `set one of them, not both`);
      continue;
    }
    try {
      resolved[name] = readFile(path).replace(/\r?\n$/, '');
    } catch (error) {
      r.fail(
        `${name}_FILE`,
        `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
        "check the path and that the bot's user may read it",
      );
    }
  }
  return issues.length > 0 ? err(issues) : ok(resolved);
}

function secretsOf(options: Omit<EnvOptions, 'secrets' | 'chatConfigured'>): string[] {
  const secrets = [
    options.slack?.botToken,
    options.slack?.appToken,
    options.slack?.signingSecret,
    options.discord?.token,
    options.mattermost?.token,
    options.mattermost?.commandToken,
  ];
  if (options.redisUrl !== undefined) secrets.push(...redisSecrets(options.redisUrl));
  return [...new Set(secrets.filter((s): s is string => s !== undefined && s !== ''))];
}

/**
 * The process env as typed options; every problem is listed at once with a hint. Empty values
 * count as unset. `TAS_CHATOPS_CONFIG` belongs to `loadConfig`.
 */
export function readEnvOptions(env: Env): Result<EnvOptions, ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const r = reader(env, issues);
  const redisUrl = readRedisUrl(r);
  const redisWait = readRedisWait(r);
  const slack = readSlack(r);
  const discord = readDiscord(r);
  const mattermost = readMattermost(r);
  const dockerHost = readDockerHost(r);
  const httpHost = readHttpHost(r);
  const dataDir = r.get('TAS_CHATOPS_DATA_DIR');
  const testDispatchDelayMs = Number(r.get('TAS_TEST_DISPATCH_DELAY_MS') ?? 0) || 0;
  const options = {
    ...(redisUrl !== undefined && { redisUrl }),
    ...(redisWait.replicas > 0 && { redisWait }),
    ...(slack !== undefined && { slack: Object.freeze(slack) }),
    ...(discord !== undefined && { discord: Object.freeze(discord) }),
    ...(mattermost !== undefined && { mattermost: Object.freeze(mattermost) }),
    ...(dockerHost !== undefined && { dockerHost }),
    port: readPort(r),
    ...(httpHost !== undefined && { httpHost }),
    ...(dataDir !== undefined && { dataDir }),
    logLevel: readLogLevel(r),
    ...(testDispatchDelayMs > 0 && { testDispatchDelayMs }),
  };
  if (issues.length > 0) return err(issues);
  const secrets = Object.freeze(secretsOf(options));
  return ok(
    Object.freeze({
      ...options,
      chatConfigured: slack !== undefined || discord !== undefined || mattermost !== undefined,
      secrets,
    }),
  );
}
