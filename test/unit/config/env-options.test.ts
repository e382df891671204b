import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../../src/config/config-issue.js';
import { envDefaults, readEnvOptions, type EnvOptions } from '../../../src/config/env-options.js';

const BOT = 'xoxb-111-222-abc';
const APP = 'xapp-1-A111-333-def';

function options(env: Record<string, string | undefined>): EnvOptions {
  const result = readEnvOptions(env);
  if (!result.ok) throw new Error(JSON.stringify(result.error, null, 2));
  return result.value;
}

function problems(env: Record<string, string | undefined>): readonly ConfigIssue[] {
  const result = readEnvOptions(env);
  if (result.ok) throw new Error('expected the env to be rejected');
  return result.error;
}

describe('readEnvOptions', () => {
  describe('when nothing is set', () => {
    it('uses the defaults and configures no chat, so start opens the console', () => {
      expect(options({})).toEqual({
        port: envDefaults.port,
        logLevel: envDefaults.logLevel,
        chatConfigured: false,
        secrets: [],
      });
      expect(envDefaults).toEqual({ port: 3000, logLevel: 'info' });
    });

    it('treats empty values as unset', () => {
      expect(options({ SLACK_BOT_TOKEN: '', PORT: '', REDIS_URL: '' })).toEqual(options({}));
    });
  });

  describe('when Slack is configured', () => {
    it('uses Socket Mode with an app token', () => {
      expect(
        options({
          SLACK_BOT_TOKEN: BOT,
          SLACK_APP_TOKEN: APP,
          SLACK_API_URL: 'http://127.0.0.1:4000/api/',
        }),
      ).toMatchObject({
        slack: {
          mode: 'socket',
          botToken: BOT,
          appToken: APP,
          apiUrl: 'http://127.0.0.1:4000/api/',
        },
        chatConfigured: true,
      });
    });

    it('uses HTTP mode with only a signing secret', () => {
      const result = options({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'shh-signing' });
      expect(result.slack).toEqual({ mode: 'http', botToken: BOT, signingSecret: 'shh-signing' });
    });

    it('lists the tokens and the signing secret as secrets', () => {
      const result = options({
        SLACK_BOT_TOKEN: BOT,
        SLACK_APP_TOKEN: APP,
        SLACK_SIGNING_SECRET: 'shh-signing',
      });
      expect([...result.secrets].sort()).toEqual([BOT, APP, 'shh-signing'].sort());
    });
  });

  describe('when the Slack variables do not fit together', () => {
    it('asks for an app token or a signing secret next to a bot token', () => {
      expect(problems({ SLACK_BOT_TOKEN: BOT })).toEqual([
        {
          path: 'SLACK_BOT_TOKEN',
          message: 'is set, but neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is',
          hint: 'set SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET for HTTP mode',
        },
      ]);
    });

    it('asks for the bot token next to an app token', () => {
      expect(problems({ SLACK_APP_TOKEN: APP })).toMatchObject([
        { path: 'SLACK_BOT_TOKEN', message: 'is required when SLACK_APP_TOKEN is set' },
      ]);
    });

    it('checks the token prefixes and recognises swapped tokens', () => {
      const swapped = problems({ SLACK_BOT_TOKEN: APP, SLACK_APP_TOKEN: BOT });
      expect(swapped).toMatchObject([
        { path: 'SLACK_BOT_TOKEN', message: 'must start with xoxb-' },
        { path: 'SLACK_APP_TOKEN', message: 'must start with xapp-' },
      ]);
      expect(swapped[0]?.hint).toMatch(/^that is an app-level token: put it in SLACK_APP_TOKEN/);
      expect(swapped[1]?.hint).toMatch(/^that is the bot token: put it in SLACK_BOT_TOKEN/);
      const user = problems({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_APP_TOKEN: APP });
      expect(user.map((i) => i.path)).toEqual(['SLACK_BOT_TOKEN']);
      expect(user[0]?.hint).toMatch(/user token/);
    });
  });

  describe('when Discord is configured', () => {
    it('needs the application id next to the token', () => {
      expect(problems({ DISCORD_TOKEN: 'discord-token' })).toMatchObject([
        { path: 'DISCORD_APPLICATION_ID', message: 'is required when DISCORD_TOKEN is set' },
      ]);
    });

    it('reads the token, application id, API URL and guild', () => {
      const result = options({
        DISCORD_TOKEN: 'discord-token',
        DISCORD_APPLICATION_ID: '444444444444444444',
        DISCORD_API_URL: 'http://127.0.0.1:4100/api',
        DISCORD_GUILD_ID: '555555555555555555',
      });
      expect(result).toMatchObject({
        discord: {
          token: 'discord-token',
          applicationId: '444444444444444444',
          apiUrl: 'http://127.0.0.1:4100/api',
          guildId: '555555555555555555',
        },
        chatConfigured: true,
        secrets: ['discord-token'],
      });
    });

    it('rejects ids that are not snowflakes and a token with the Bot prefix', () => {
      expect(
        problems({
          DISCORD_TOKEN: 'Bot abc',
          DISCORD_APPLICATION_ID: 'my-app',
          DISCORD_GUILD_ID: '12',
        }).map((i) => i.path),
      ).toEqual(['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID']);
    });
  });

  describe('when the other variables are set', () => {
    it('reads REDIS_URL, DOCKER_HOST, PORT and LOG_LEVEL', () => {
      expect(
        options({
          REDIS_URL: 'rediss://default:p%40ss@redis:6380',
          DOCKER_HOST: 'tcp://proxy:2375',
          PORT: '8080',
          LOG_LEVEL: 'DEBUG',
        }),
      ).toEqual({
        redisUrl: 'rediss://default:p%40ss@redis:6380',
        dockerHost: 'tcp://proxy:2375',
        port: 8080,
        logLevel: 'debug',
        chatConfigured: false,
        secrets: ['p%40ss', 'p@ss'],
      });
    });

    it('lists every invalid value at once', () => {
      expect(
        problems({
          REDIS_URL: 'http://redis:6379',
          DOCKER_HOST: '/var/run/docker.sock',
          PORT: '70000',
          LOG_LEVEL: 'verbose',
          SLACK_API_URL: 'not a url',
        }).map((i) => `${i.path}: ${i.message}`),
      ).toEqual([
        'REDIS_URL: must use redis:// or rediss://',
        'SLACK_API_URL: is not a URL',
        'DOCKER_HOST: expected unix:///path/to/docker.sock or tcp://host:port',
        'PORT: must be a port number from 1 to 65535',
        'LOG_LEVEL: "verbose" is not a log level',
      ]);
    });

    it.each(['0', '-1', '3000abc', '1e3'])('rejects PORT=%s', (port) => {
      expect(problems({ PORT: port }).map((i) => i.path)).toEqual(['PORT']);
    });
  });

  it('freezes what it returns', () => {
    const result = options({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(
      Object.isFrozen(result) && Object.isFrozen(result.slack) && Object.isFrozen(result.secrets),
    ).toBe(true);
  });
});
