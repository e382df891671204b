import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from '../../../src/lib/redact.js';
import {
  compileExtraPatterns,
  redactPatternProblem,
} from '../../../src/lib/redact-extra-patterns.js';

const redact = createRedactor([]);

// Fake values in the vendors' shapes; none of them is a real credential.
const F8 = 'FAKEfake';
const HEX32 = '0123456789abcdef0123456789abcdef';

describe('createRedactor catalogue', () => {
  describe('when a line holds a vendor token', () => {
    it.each([
      ['stripe-key', `sk_live_${F8}${F8}1234`],
      ['stripe-key', `rk_live_${F8}${F8}1234`],
      ['stripe-key', `sk_test_${F8}${F8}1234`],
      ['stripe-key', `whsec_${F8}${F8}${F8}${F8}`],
      ['google-api-key', `AIza${F8}${F8}${F8}${F8}123`],
      ['openai-key', `sk-proj-${F8}${F8}${F8}-${F8}_${F8}`],
      ['openai-key', `sk-${F8}${F8}${F8}${F8}${F8}12`],
      ['anthropic-key', `sk-ant-api03-${F8}${F8}${F8}${F8}${F8}-${F8}`],
      ['npm-token', `npm_${F8}${F8}${F8}${F8}1234`],
      ['gitlab-token', `glpat-${F8}${F8}1234`],
      ['sendgrid-key', `SG.${F8}${F8}FAKE12.${F8}${F8}${F8}${F8}${F8}123`],
      ['pypi-token', `pypi-AgEIcHlwaS5vcmc${F8}${F8}${F8}${F8}${F8}${F8}${F8}`],
      ['docker-token', `dckr_pat_${F8}${F8}${F8}12`],
      ['digitalocean-token', `dop_v1_${HEX32}${HEX32}`],
      ['shopify-token', `shpat_${HEX32}`],
      ['vault-token', `hvs.${F8}${F8}${F8}1234`],
      ['age-key', `AGE-SECRET-KEY-1${'FAKE0'.repeat(11)}FAK`],
      ['heroku-key', `HRKU-AA${F8.repeat(7)}12`],
      ['telegram-token', `123456789:AA${F8}${F8}${F8}${F8}1`],
      ['huggingface-token', `hf_${F8}${F8}${F8}${F8}ab`],
      ['grafana-token', `glsa_${F8}${F8}${F8}${F8}_0123abcd`],
      ['grafana-token', `glc_${F8}${F8}${F8}${F8}${F8}==`],
      ['sentry-token', `sntrys_${F8}${F8}${F8}${F8}${F8}${F8}`],
      ['newrelic-key', `NRAK-${'FAKE0'.repeat(5)}FA`],
      ['linear-key', `lin_api_${F8}${F8}${F8}${F8}${F8}`],
      ['doppler-token', `dp.pt.${F8}${F8}${F8}${F8}${F8}123`],
      ['databricks-token', `dapi${HEX32}`],
      ['atlassian-token', `ATATT3${F8.repeat(20)}=0A1B2C3D`],
      ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFIn0.RkFLRXNpZ25hdHVyZQ'],
      ['github-token', `ghp_${F8}${F8}${F8}${F8}1234`],
      ['slack-token', `xoxb-123456789012-1234567890123-${F8}${F8}`],
      ['aws-key', 'AKIAFAKEFAKEFAKE1234'],
    ])('replaces a %s and keeps the words around it', (kind, token) => {
      const once = redact(`using ${token} now`);

      expect(once).toBe(`using [REDACTED:${kind}] now`);
      expect(redact(once)).toBe(once);
    });

    it('replaces a token inside JSON and keeps the rest of the object', () => {
      expect(redact(`{"key":"AIza${F8}${F8}${F8}${F8}123","region":"eu"}`)).toBe(
        '{"key":"[REDACTED:google-api-key]","region":"eu"}',
      );
    });
  });

  describe('when a line holds a webhook URL', () => {
    it('keeps the Slack host and path prefix and redacts the rest', () => {
      expect(
        redact(`POST https://hooks.slack.com/services/T00000000/B00000000/${F8}${F8}${F8} 200`),
      ).toBe('POST https://hooks.slack.com/services/[REDACTED:slack-webhook] 200');
    });

    it('keeps a Discord webhook id and redacts its token', () => {
      expect(
        redact(`hook https://discord.com/api/webhooks/123456789012345678/${F8.repeat(8)} ok`),
      ).toBe(
        'hook https://discord.com/api/webhooks/123456789012345678/[REDACTED:discord-webhook] ok',
      );
    });
  });

  describe('when a line holds an Authorization header', () => {
    it.each([
      ['Authorization: Token 9944b09199c62bcf9418ad846dd0e4bb', 'Authorization: Token [REDACTED]'],
      ['authorization=Bearer abc.def.ghi', 'authorization=Bearer [REDACTED]'],
      ['"Authorization": "Basic dXNlcjpwYXNz"', '"Authorization": "Basic [REDACTED]"'],
      ['Proxy-Authorization: Negotiate YIIFFAYGKwYB', 'Proxy-Authorization: Negotiate [REDACTED]'],
      ['Authorization: s3cr3tValue, next', 'Authorization: [REDACTED], next'],
    ])('keeps the header and scheme of %j', (text, expected) => {
      expect(redact(text)).toBe(expected);
    });
  });

  describe('when a line holds an Azure connection string or SAS URL', () => {
    it('redacts the AccountKey and keeps the other fields', () => {
      expect(
        redact(
          'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=FAKE+fake/FAKE==;EndpointSuffix=core.windows.net',
        ),
      ).toBe(
        'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=[REDACTED];EndpointSuffix=core.windows.net',
      );
    });

    it('redacts a SharedAccessKey', () => {
      expect(
        redact('Endpoint=sb://acme/;SharedAccessKeyName=root;SharedAccessKey=FAKE+fake='),
      ).toBe('Endpoint=sb://acme/;SharedAccessKeyName=root;SharedAccessKey=[REDACTED]');
    });

    it('redacts the sig of a SAS URL and keeps the other query parameters', () => {
      expect(
        redact(
          'GET https://acme.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&sig=FAKE%2Bfake%3D&se=2026 200',
        ),
      ).toBe(
        'GET https://acme.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&sig=[REDACTED]&se=2026 200',
      );
    });

    it('redacts the signature of a presigned S3 URL', () => {
      expect(
        redact('https://b.s3.amazonaws.com/k?X-Amz-Date=20261207&X-Amz-Signature=7c2b9a0f'),
      ).toBe('https://b.s3.amazonaws.com/k?X-Amz-Date=20261207&X-Amz-Signature=[REDACTED]');
    });
  });

  describe('when an env-style key holds the key word before a suffix or after a prefix', () => {
    it.each([
      ['SECRET_KEY=FAKEfake123 DEBUG=0', 'SECRET_KEY=[REDACTED] DEBUG=0'],
      ['SECRET_KEY_BASE=ff00aa11', 'SECRET_KEY_BASE=[REDACTED]'],
      ['DB_PASS=hunter2 DB_USER=app', 'DB_PASS=[REDACTED] DB_USER=app'],
      ['PRIVATE_KEY=abc123 PORT=80', 'PRIVATE_KEY=[REDACTED] PORT=80'],
      ['SMTP_PASS: hunter2', 'SMTP_PASS: [REDACTED]'],
      ['ENCRYPTION_KEY=0011aabb', 'ENCRYPTION_KEY=[REDACTED]'],
      ['APP_KEY=base64:FAKEfake=', 'APP_KEY=[REDACTED]'],
      ['JWT_SECRET=FAKEfake', 'JWT_SECRET=[REDACTED]'],
      [
        '{"passphrase": "correct horse battery", "user": "bob"}',
        '{"passphrase": "[REDACTED]", "user": "bob"}',
      ],
      ['"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}', '"auths":{"ghcr.io":{"auth":"[REDACTED]"}}'],
      ['password="never closed', 'password="[REDACTED]'],
    ])('redacts the value in %j', (text, expected) => {
      expect(redact(text)).toBe(expected);
    });

    it('takes a whole PEM key that is the value of a key', () => {
      expect(
        redact(
          'PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA1b2c3 -----END RSA PRIVATE KEY----- loaded',
        ),
      ).toBe('PRIVATE_KEY=[REDACTED:private-key] loaded');
    });
  });

  describe('when a private key is JSON-escaped on one line', () => {
    it('redacts the key through its escaped line breaks', () => {
      expect(
        redact(
          'cert -----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\nq9Zx+/ab==\\n-----END PRIVATE KEY-----\\n next',
        ),
      ).toBe('cert [REDACTED:private-key]\\n next');
    });

    it('redacts an encrypted key with its Proc-Type and DEK-Info headers', () => {
      const pem = [
        '-----BEGIN RSA PRIVATE KEY-----',
        'Proc-Type: 4,ENCRYPTED',
        'DEK-Info: AES-128-CBC,0123456789ABCDEF',
        '',
        'MIIEowIBAAKCAQEA1b2c3',
        '-----END RSA PRIVATE KEY-----',
      ].join('\n');

      expect(redact(`${pem}\nready`)).toBe('[REDACTED:private-key]\nready');
    });
  });

  describe('when a connection URL password holds "/" or "@"', () => {
    it.each([
      ['postgres://user:pa/ss@w@rd@db:5432/x ok', 'postgres://user:[REDACTED]@db:5432/x ok'],
      ['redis://:p@ss/w0rd@cache:6379', 'redis://:[REDACTED]@cache:6379'],
      [
        'https://u:p@host/path?email=a@example.com',
        'https://u:[REDACTED]@host/path?email=a@example.com',
      ],
    ])('ends the password at the last "@" before the host in %j', (text, expected) => {
      expect(redact(text)).toBe(expected);
    });
  });

  describe('when a line only looks like a credential', () => {
    it.each([
      '8f14e45f-ceea-467f-a0e6-1b2c3d4e5f60',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 deployed',
      'ghcr.io/acme/app@sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      '2026-12-07T10:00:00.123Z request req-7f3a2b9c done in 12ms',
      'integrity sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'payload eyJmb28iOiJiYXIifQ== received',
      'token bucket refilled; password policy updated; secret santa on friday',
      'image ghcr.io/org/app:5.15 pulled from https://ghcr.io/v2/org/app',
      'GET https://example.com:8443/a/b?x=1&sort=asc',
      'upstream http://backend:8080/users/@me',
      'clone git@github.com:org/repo.git and ssh://git@github.com:22/org/repo',
      'keyboard=us monkey=banana compass=north bypass=1',
      'passwordless=true password_policy=strict secret_name=db-pass token_type=bearer',
      'API_KEY_ID=AKID1234 private_key_id=0123abcd',
      '"passphrase_hint": "the usual"',
      'auth=true pass: false "password": null',
      'sk_live_ short sk-learn risk-assessment-2026 pk_live_FAKEfakeFAKEfake1234',
      'AIzaShort SG.status.ok glpat-short npm_config_cache=/tmp/npm npm_lifecycle_event=build',
      'https://hooks.slack.com/ is down; signal=SIGTERM sig=SIGTERM',
      'authorization failed for user bob',
      'akiafakefakefake1234 is lower case',
    ])('keeps %j readable', (text) => {
      expect(redact(text)).toBe(text);
    });
  });

  describe('when a line is long and hostile', () => {
    const N = 100_000;

    it.each([
      ['a run of one letter', 'a'.repeat(N), 'a'.repeat(N)],
      ['a run of dashes', '-'.repeat(N), '-'.repeat(N)],
      ['many JWT headers without a payload', 'eyJaaaa-'.repeat(N / 8), 'eyJaaaa-'.repeat(N / 8)],
      ['many URL starts without an "@"', 'a://b:'.repeat(N / 6), 'a://b:'.repeat(N / 6)],
      ['many key words without values', 'DB_PASS'.repeat(N / 7), 'DB_PASS'.repeat(N / 7)],
      ['many "bearer" words', 'bearer short '.repeat(N / 13), 'bearer short '.repeat(N / 13)],
      [
        'many PEM BEGIN lines',
        '-----BEGIN PRIVATE KEY-----'.repeat(N / 27),
        '[REDACTED:private-key]',
      ],
    ])('returns the right text for %s', (_name, text, expected) => {
      expect(redact(text)).toBe(expected);
    });

    it('redacts a PEM key with a 100 kB body', () => {
      expect(redact(`-----BEGIN RSA PRIVATE KEY-----${'A'.repeat(N)}`)).toBe(
        '[REDACTED:private-key]',
      );
    });

    it('redacts a 100 kB password', () => {
      expect(redact(`password=${'x'.repeat(N)}`)).toBe('password=[REDACTED]');
      expect(redact(`password="${'x'.repeat(N)}`)).toBe('password="[REDACTED]');
    });

    it('blanks a token too long to scan instead of passing it through', () => {
      const huge = `eyJ${'a'.repeat(10_000_000)}.${'b'.repeat(10_000_000)}`;

      expect(redact(`${huge}\nnext line password=hunter2`)).toMatch(
        /^\[REDACTED:(?:jwt|unscannable)\]\nnext line password=\[REDACTED\]$/,
      );
    });
  });

  describe('when configured secrets and shapes overlap', () => {
    it('replaces the exact value even inside a shape', () => {
      const withSecret = createRedactor(['FAKEfake-configured']);

      expect(withSecret('Authorization: Bearer FAKEfake-configured')).toBe(
        'Authorization: Bearer [REDACTED]',
      );
    });
  });
});

describe('createRedactor with operator patterns', () => {
  it('replaces a configured shape with a marker named after it', () => {
    const withTicket = createRedactor(
      [],
      compileExtraPatterns([{ name: 'ticket-token', regex: 'TT-[0-9a-f]{16}' }]),
    );

    expect(withTicket('open TT-0123456789abcdef now')).toBe('open [REDACTED:ticket-token] now');
  });

  it('replaces only the secret group when the pattern names one', () => {
    const withTicket = createRedactor(
      [],
      compileExtraPatterns([{ name: 'ticket', regex: 'ticket:(?<secret>\\w+)', ignoreCase: true }]),
    );

    expect(withTicket('TICKET:abc123 and ticket:def456')).toBe(
      'TICKET:[REDACTED:ticket] and ticket:[REDACTED:ticket]',
    );
  });

  it('runs after the built-in catalogue, so both apply', () => {
    const withTicket = createRedactor(
      ['prod-db-pass'],
      compileExtraPatterns([{ name: 'ticket-token', regex: 'TT-\\d{4}' }]),
    );

    expect(withTicket('TT-1234 password=x prod-db-pass')).toBe(
      '[REDACTED:ticket-token] password=[REDACTED] [REDACTED]',
    );
  });
});

describe('redactPatternProblem', () => {
  it('names a syntax error', () => {
    expect(redactPatternProblem({ name: 'x', regex: '(unclosed' })).toBe(
      'not a valid regular expression: Unterminated group',
    );
  });

  it('refuses a pattern that matches the empty text', () => {
    expect(redactPatternProblem({ name: 'x', regex: 'a*' })).toBe(
      'matches the empty text; it must match at least one character',
    );
  });

  it('accepts an ordinary pattern', () => {
    expect(redactPatternProblem({ name: 'x', regex: 'TT-\\d+' })).toBeUndefined();
  });
});

describe('redactDeep with the catalogue keys', () => {
  it('blanks values under env-style key names and keeps identifiers', () => {
    expect(
      redactDeep(
        { SECRET_KEY: 'a', DB_PASS: 'b', passphrase: 'c', accountKey: 'd', API_KEY_ID: 'id-1' },
        redact,
      ),
    ).toEqual({
      SECRET_KEY: '[REDACTED]',
      DB_PASS: '[REDACTED]',
      passphrase: '[REDACTED]',
      accountKey: '[REDACTED]',
      API_KEY_ID: 'id-1',
    });
  });
});
