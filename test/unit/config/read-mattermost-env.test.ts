import { describe, expect, it } from 'vitest';
import {
  readEnvOptions,
  resolveFileVariables,
  type EnvOptions,
} from '../../../src/config/env-options.js';
import type { ConfigIssue } from '../../../src/config/config-issue.js';

const TOKEN = 'x8bs3cp1qtfyjfbp1gzs6gpdzo';
const COMMAND_TOKEN = 'k9e4ws8ybtfg5ndqcrbz1yhm6a';

const MATTERMOST = {
  MATTERMOST_URL: 'https://chat.example.com',
  MATTERMOST_TOKEN: TOKEN,
  MATTERMOST_COMMAND_TOKEN: COMMAND_TOKEN,
  MATTERMOST_CALLBACK_URL: 'https://tas-chatops.example.com',
};

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

const said = (env: Record<string, string | undefined>) =>
  problems(env).map((issue) => `${issue.path}: ${issue.message}`);

describe('readEnvOptions for Mattermost', () => {
  describe('when all four variables are set', () => {
    it('configures Mattermost as a chat platform, so start opens no console', () => {
      expect(options(MATTERMOST)).toMatchObject({
        mattermost: {
          url: 'https://chat.example.com',
          token: TOKEN,
          commandToken: COMMAND_TOKEN,
          callbackUrl: 'https://tas-chatops.example.com',
        },
        chatConfigured: true,
      });
    });

    it('lists both tokens as secrets, so they are redacted wherever text leaves the process', () => {
      expect([...options(MATTERMOST).secrets].sort()).toEqual([COMMAND_TOKEN, TOKEN].sort());
    });

    it('drops a trailing slash from the two base URLs', () => {
      const result = options({
        ...MATTERMOST,
        MATTERMOST_URL: 'http://127.0.0.1:8065/',
        MATTERMOST_CALLBACK_URL: 'http://127.0.0.1:3000/bot/',
      });
      expect(result.mattermost).toMatchObject({
        url: 'http://127.0.0.1:8065',
        callbackUrl: 'http://127.0.0.1:3000/bot',
      });
    });

    it('freezes the options', () => {
      expect(Object.isFrozen(options(MATTERMOST).mattermost)).toBe(true);
    });
  });

  describe('when only some of the variables are set', () => {
    it('names each missing one and where to find it', () => {
      const issues = problems({ MATTERMOST_URL: 'https://chat.example.com' });
      expect(issues.map((issue) => issue.path)).toEqual([
        'MATTERMOST_TOKEN',
        'MATTERMOST_COMMAND_TOKEN',
        'MATTERMOST_CALLBACK_URL',
      ]);
      expect(issues[0]?.message).toBe('is required when MATTERMOST_URL is set');
      expect(issues[0]?.hint).toMatch(/Bot Accounts/);
      expect(issues[1]?.hint).toMatch(/Slash Commands/);
    });
  });

  describe('when a value is wrong', () => {
    it('rejects a URL that is not http(s) and one that already names the API', () => {
      expect(
        said({
          ...MATTERMOST,
          MATTERMOST_URL: 'https://chat.example.com/api/v4',
          MATTERMOST_CALLBACK_URL: 'ftp://tas-chatops.example.com',
        }),
      ).toEqual([
        'MATTERMOST_URL: ends with /api/v4',
        'MATTERMOST_CALLBACK_URL: must use http:// or https://',
      ]);
    });

    it('rejects a callback URL that already names the action path the bot appends', () => {
      expect(
        said({
          ...MATTERMOST,
          MATTERMOST_CALLBACK_URL: 'https://tas-chatops.example.com/mattermost/action',
        }),
      ).toEqual(['MATTERMOST_CALLBACK_URL: ends with /mattermost/action']);
    });

    it('rejects a token pasted with its header scheme or with whitespace', () => {
      expect(
        said({
          ...MATTERMOST,
          MATTERMOST_TOKEN: `Bearer ${TOKEN}`,
          MATTERMOST_COMMAND_TOKEN: `${COMMAND_TOKEN}\n`,
        }),
      ).toEqual([
        'MATTERMOST_TOKEN: starts with "Bearer "',
        'MATTERMOST_COMMAND_TOKEN: contains whitespace',
      ]);
    });

    it('rejects the bot token given as the command token too', () => {
      expect(said({ ...MATTERMOST, MATTERMOST_COMMAND_TOKEN: TOKEN })).toEqual([
        'MATTERMOST_COMMAND_TOKEN: is the same as MATTERMOST_TOKEN',
      ]);
    });
  });

  describe('when the tokens come from files (Docker secrets)', () => {
    it('reads MATTERMOST_TOKEN_FILE and MATTERMOST_COMMAND_TOKEN_FILE', () => {
      const files: Record<string, string> = {
        '/run/secrets/tas_mattermost_token': `${TOKEN}\n`,
        '/run/secrets/tas_mattermost_command_token': `${COMMAND_TOKEN}\n`,
      };
      const resolved = resolveFileVariables(
        {
          MATTERMOST_URL: MATTERMOST.MATTERMOST_URL,
          MATTERMOST_CALLBACK_URL: MATTERMOST.MATTERMOST_CALLBACK_URL,
          MATTERMOST_TOKEN_FILE: '/run/secrets/tas_mattermost_token',
          MATTERMOST_COMMAND_TOKEN_FILE: '/run/secrets/tas_mattermost_command_token',
        },
        (path) => files[path] ?? '',
      );
      if (!resolved.ok) throw new Error(JSON.stringify(resolved.error));
      expect(options(resolved.value).mattermost).toMatchObject({
        token: TOKEN,
        commandToken: COMMAND_TOKEN,
      });
    });
  });
});
