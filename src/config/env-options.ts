import { err, ok, type Result } from '../core/result.js';
import type { ConfigIssue } from './config-issue.js';
import { reader, url, type Reader } from './env-reader.js';
import type { Env } from './interpolate.js';
import { readDiscord, type DiscordOptions } from './read-discord-env.js';
import { readSlack, type SlackOptions } from './read-slack-env.js';
import { dockerHostPattern } from './schema.js';

/** pino's levels; `silent` turns logging off. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Every default the process env can override, in one place. */
export const envDefaults = {
  port: 3000,
  logLevel: 'info',
} as const satisfies { readonly port: number; readonly logLevel: LogLevel };

export type { DiscordOptions, SlackOptions };

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
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // Not percent-encoded after all: the raw form is the only one.
    }
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
