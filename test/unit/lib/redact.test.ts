import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from '../../../src/lib/redact.js';

const redact = createRedactor([]);

describe('createRedactor', () => {
  describe('when text holds a credential of a known shape', () => {
    it.each([
      [
        'slack bot token',
        'using xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp now',
        'using [REDACTED:slack-token] now',
      ],
      ['slack user token', 'xoxp-1234567890-0987654321-abcdef', '[REDACTED:slack-token]'],
      [
        'slack app token',
        'SLACK_APP xapp-1-A0123456789-1234567890123-abcdef0123',
        'SLACK_APP [REDACTED:slack-token]',
      ],
      [
        'slack legacy tokens',
        'xoxa-2-1234567890 xoxr-1234567890ab xoxs-1234567890ab',
        '[REDACTED:slack-token] [REDACTED:slack-token] [REDACTED:slack-token]',
      ],
      [
        'github classic token',
        'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
        '[REDACTED:github-token]',
      ],
      [
        'github app tokens',
        'gho_16C7e42F292c6912E7710c838347Ae178B4a ghs_16C7e42F292c6912E7710c838347Ae178B4a ghu_16C7e42F292c6912E7710c838347Ae178B4a',
        '[REDACTED:github-token] [REDACTED:github-token] [REDACTED:github-token]',
      ],
      [
        'github fine-grained token',
        'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEF',
        '[REDACTED:github-token]',
      ],
      ['aws access key id', 'key AKIAIOSFODNN7EXAMPLE used', 'key [REDACTED:aws-key] used'],
      ['aws session key id', 'ASIAY34FZKBOKMUTVV7A', '[REDACTED:aws-key]'],
      [
        'aws secret key',
        'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'aws_secret_access_key=[REDACTED]',
      ],
      [
        'jwt',
        'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk ok',
        'token [REDACTED:jwt] ok',
      ],
      [
        'bearer credential',
        'Authorization: Bearer 4f1c9a2b7e3d4c5a',
        'Authorization: Bearer [REDACTED]',
      ],
      [
        'bearer jwt',
        'authorization: bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
        'authorization: bearer [REDACTED]',
      ],
      [
        'basic credential',
        'Authorization: Basic dXNlcjpwYXNzd29yZA==',
        'Authorization: Basic [REDACTED]',
      ],
      [
        'discord bot token',
        'MTA4NjE5NzYyNzQ0Mjk4MjA2Mg.GhIJkl.abcdefghijklmnopqrstuvwxyz0123456789ABC',
        '[REDACTED:discord-token]',
      ],
    ])('replaces a %s', (_kind, text, expected) => {
      expect(redact(text)).toBe(expected);
    });

    it('replaces a multi-line PEM private key block whole', () => {
      const pem = [
        '-----BEGIN RSA PRIVATE KEY-----',
        'MIIEowIBAAKCAQEA1b2c3',
        'q9Zx+/abc==',
        '-----END RSA PRIVATE KEY-----',
      ].join('\n');

      expect(redact(`key:\n${pem}\nloaded`)).toBe('key:\n[REDACTED:private-key]\nloaded');
    });

    it('replaces a PEM block cut off before its end line', () => {
      expect(redact('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(
        '[REDACTED:private-key]',
      );
    });
  });

  describe('when text holds key=value credentials', () => {
    it.each([
      ['password=hunter2 user=bob', 'password=[REDACTED] user=bob'],
      ['passwd=hunter2', 'passwd=[REDACTED]'],
      ['pwd=hunter2;host=db', 'pwd=[REDACTED];host=db'],
      ['secret=s3cr3t', 'secret=[REDACTED]'],
      ['GET /cb?token=abc123&state=x', 'GET /cb?token=[REDACTED]&state=x'],
      [
        'api_key=abc123 apikey=def456 x-api-key: ghi789',
        'api_key=[REDACTED] apikey=[REDACTED] x-api-key: [REDACTED]',
      ],
      ['DB_PASSWORD=hunter2', 'DB_PASSWORD=[REDACTED]'],
      ['password: hunter2', 'password: [REDACTED]'],
      ['password="two words"', 'password="[REDACTED]"'],
      ['{"password":"hunter2","user":"bob"}', '{"password":"[REDACTED]","user":"bob"}'],
      ['{"dbPassword": "hunter2"}', '{"dbPassword": "[REDACTED]"}'],
      ['{"client_secret":"a\\"b"}', '{"client_secret":"[REDACTED]"}'],
      ['msg="{\\"password\\":\\"hunter2\\"}"', 'msg="{\\"password\\":\\"[REDACTED]\\"}"'],
      ['token: Bearer abc123def456', 'token: Bearer [REDACTED]'],
    ])('redacts the value in %j', (text, expected) => {
      expect(redact(text)).toBe(expected);
    });
  });

  describe('when a connection URL carries a password', () => {
    it.each([
      ['postgres://tas:S3cret!@db:5432/tas', 'postgres://tas:[REDACTED]@db:5432/tas'],
      [
        'mongodb+srv://app:p%40ss@cluster0.example.net/db',
        'mongodb+srv://app:[REDACTED]@cluster0.example.net/db',
      ],
      ['redis://:hunter2@redis:6379/0', 'redis://:[REDACTED]@redis:6379/0'],
      ['amqp://guest:guest@rabbitmq:5672', 'amqp://guest:[REDACTED]@rabbitmq:5672'],
    ])('keeps the user and the host of %j', (text, expected) => {
      expect(redact(text)).toBe(expected);
    });

    it('leaves a URL with a port and no credentials alone', () => {
      expect(redact('GET http://backend:8080/status/liveness')).toBe(
        'GET http://backend:8080/status/liveness',
      );
    });
  });

  describe('when text only talks about credentials', () => {
    it.each([
      'password policy updated',
      'token bucket refilled',
      'secret rotation scheduled',
      'Basic information about the case',
      'Bearer token expired',
      'max_tokens=512 tokens=3',
      'password=',
      '"token": null',
      'connect ECONNREFUSED 127.0.0.1:5432',
    ])('keeps %j as it is', (text) => {
      expect(redact(text)).toBe(text);
    });
  });

  describe('when secrets are configured', () => {
    it('replaces their exact values wherever they occur', () => {
      const withSecrets = createRedactor(['s3cr3t-value', 'prod-db-pass']);

      expect(withSecrets('login with prod-db-pass failed; sent s3cr3t-value')).toBe(
        'login with [REDACTED] failed; sent [REDACTED]',
      );
    });

    it('replaces the longest value first, so a secret containing another goes whole', () => {
      const withSecrets = createRedactor(['abcd', 'abcdefgh']);

      expect(withSecrets('x abcdefgh y abcd')).toBe('x [REDACTED] y [REDACTED]');
    });

    it('treats regex characters in values literally', () => {
      const withSecrets = createRedactor(['a.b*c(d)', 'p$[x]']);

      expect(withSecrets('a.b*c(d) axbbc(d) p$[x]')).toBe('[REDACTED] axbbc(d) [REDACTED]');
    });

    it('ignores values shorter than four characters', () => {
      expect(createRedactor(['abc', ''])('abc is fine')).toBe('abc is fine');
    });
  });

  it('changes nothing when run twice', () => {
    const once = redact('password=hunter2 postgres://u:p@h xoxb-1234567890-abcdefghij');

    expect(redact(once)).toBe(once);
  });
});

describe('redactDeep', () => {
  it('redacts strings inside objects and arrays and leaves other values alone', () => {
    const data = {
      url: 'postgres://u:pw@db/x',
      list: ['xoxb-1234567890-abcdefghij', 3, null],
      ok: true,
      when: new Date(0),
    };

    expect(redactDeep(data, redact)).toEqual({
      url: 'postgres://u:[REDACTED]@db/x',
      list: ['[REDACTED:slack-token]', 3, null],
      ok: true,
      when: new Date(0),
    });
  });

  it('blanks string values whose key names a credential', () => {
    expect(
      redactDeep(
        { password: 'hunter2', nested: { apiKey: 'abc', botToken: 'x' }, name: 'bob' },
        redact,
      ),
    ).toEqual({
      password: '[REDACTED]',
      nested: { apiKey: '[REDACTED]', botToken: '[REDACTED]' },
      name: 'bob',
    });
  });

  it('copies instead of changing the input, and survives cycles', () => {
    const data: { password: string; self?: unknown } = { password: 'hunter2' };
    data.self = data;

    const copy = redactDeep(data, redact);

    expect(data.password).toBe('hunter2');
    expect(copy.password).toBe('[REDACTED]');
    expect(copy.self).toBe(copy);
  });
});
