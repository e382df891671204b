import { afterEach, describe, expect, it, vi } from 'vitest';
import { issuesOf, loaded, minimalConfig, problems } from './minimal-config.js';

function withProbe(
  headers: Record<string, string>,
  url = 'https://tas.example.com/api/status/liveness',
) {
  const config = minimalConfig();
  config.environments.prod.probes = [{ name: 'liveness', url, headers }];
  return config;
}

describe('loadConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  describe('when string values reference ${VAR}', () => {
    it('replaces each reference from the injected env, never from process.env', () => {
      vi.stubEnv('TAS_TEST_FROM_PROCESS', 'from-process');
      const config = minimalConfig();
      config.environments.prod.url = 'https://${HOST}:${PORT_}/';
      config.environments.prod.facts = {
        version: '${TAS_VERSION}',
        leaked: '${TAS_TEST_FROM_PROCESS:-not-from-process}',
      };
      const prod = loaded(config, { HOST: 'tas.example.com', PORT_: '8443', TAS_VERSION: '5.15' })
        .config.environments.prod!;
      expect(prod.url).toBe('https://tas.example.com:8443/');
      expect(prod.facts).toEqual({ version: '5.15', leaked: 'not-from-process' });
    });

    it('uses the ${VAR:-default} fallback when the variable is unset or empty', () => {
      const config = minimalConfig();
      config.environments.prod.facts = {
        a: '${UNSET:-x}',
        b: '${EMPTY:-y}',
        c: '${SET:-z}',
        d: '${UNSET:-}',
      };
      const prod = loaded(config, { EMPTY: '', SET: 'set' }).config.environments.prod!;
      expect(prod.facts).toEqual({ a: 'x', b: 'y', c: 'set', d: '' });
    });

    it('keeps $${ as a literal ${ and leaves keys alone', () => {
      const config = minimalConfig();
      config.environments.prod.facts = { template: 'cost: $${AMOUNT}', '${KEY}': 'value' };
      const prod = loaded(config, { KEY: 'replaced' }).config.environments.prod!;
      expect(prod.facts).toEqual({ template: 'cost: ${AMOUNT}', '${KEY}': 'value' });
    });

    it('names the path and the variable of every one that is missing', () => {
      const config = withProbe(
        { Authorization: 'Bearer ${PROBE_TOKEN}' },
        'https://${PROBE_HOST}/health',
      );
      config.environments.prod.facts = { version: '${TAS_VERSION}' };
      const issues = issuesOf(config, { TAS_VERSION: '' });
      // The unreplaced URL is not reported a second time as an invalid URL.
      expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
        'environments.prod.probes[0].url: environment variable PROBE_HOST is not set',
        'environments.prod.probes[0].headers.Authorization: environment variable PROBE_TOKEN is not set',
        'environments.prod.facts.version: environment variable TAS_VERSION is empty',
      ]);
      expect(issues[1]?.hint).toBe(
        "set PROBE_TOKEN in the bot's environment, or write ${PROBE_TOKEN:-default} for a fallback",
      );
    });

    it('rejects a malformed reference', () => {
      const config = minimalConfig();
      config.environments.prod.facts = { a: '${not a name}', b: 'x ${UNCLOSED' };
      expect(problems(config)).toEqual([
        'environments.prod.facts.a: "${not a name}" is not a variable reference',
        'environments.prod.facts.b: unterminated "${"',
      ]);
    });

    it('says which variable an invalid value came from, without quoting the value', () => {
      const config = minimalConfig();
      config.environments.prod.docker = { host: '${DOCKER_SOCK}' };
      const issues = issuesOf(config, { DOCKER_SOCK: '/var/run/docker.sock' });
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        path: 'environments.prod.docker.host',
        message: 'expected unix:///path/to/docker.sock or tcp://host:port',
      });
      expect(issues[0]?.hint).toMatch(/^the value comes from \$DOCKER_SOCK; check that variable/);
    });
  });

  describe('when values are interpolated from the env', () => {
    const config = withProbe({ Authorization: 'Bearer ${PROBE_TOKEN}', 'X-Trace': '${TRACE_ID}' });
    config.environments.prod.url = 'https://ops:${DB_PASSWORD}@tas.example.com/';
    const env = {
      PROBE_TOKEN: 'tok-s3cr3t-123',
      TRACE_ID: 'trace-77',
      DB_PASSWORD: 'hunter2-long',
    };

    it('records every interpolated value as a secret', () => {
      expect([...loaded(config, env).secrets].sort()).toEqual([
        'hunter2-long',
        'tok-s3cr3t-123',
        'trace-77',
      ]);
    });

    it('keeps every secret out of the redacted view', () => {
      const view = JSON.stringify(loaded(config, env).redacted());
      for (const secret of Object.values(env)) expect(view).not.toContain(secret);
      expect(view).toContain('"Authorization":"[redacted]"');
      expect(view).toContain('"X-Trace":"[redacted]"');
      expect(view).toContain('https://ops:[redacted]@tas.example.com/');
    });

    it('leaves the config itself intact and the view a copy', () => {
      const { config: out, redacted } = loaded(config, env);
      expect(out.environments.prod?.probes[0]).toMatchObject({
        headers: { Authorization: 'Bearer tok-s3cr3t-123' },
      });
      const view = redacted() as { environments: { prod: { services: string[] } } };
      view.environments.prod.services.push('changed');
      expect(out.environments.prod?.services).toEqual(['backend', 'frontend']);
    });
  });

  describe('when credentials are written into the file itself', () => {
    it('redacts authorization, cookie and x-api-key headers in any case', () => {
      const config = withProbe({
        authorization: 'Basic abc',
        COOKIE: 'sid=1',
        'X-Api-Key': 'k-1',
        'User-Agent': 'tas-chatops',
      });
      const view = loaded(config).redacted() as {
        environments: { prod: { probes: { headers: unknown }[] } };
      };
      expect(view.environments.prod.probes[0]?.headers).toEqual({
        authorization: '[redacted]',
        COOKIE: '[redacted]',
        'X-Api-Key': '[redacted]',
        'User-Agent': 'tas-chatops',
      });
    });
  });

  describe('when DOCKER_HOST is set', () => {
    it('is the docker.host of environments that give none, and overrides none', () => {
      const config = minimalConfig();
      config.environments.staging = {
        ...structuredClone(config.environments.prod),
        stack: 'staging',
        channels: {},
        docker: { host: 'tcp://proxy:2375' },
      };
      const { config: out, secrets } = loaded(config, { DOCKER_HOST: 'tcp://127.0.0.1:2375' });
      expect(out.environments.prod?.docker.host).toBe('tcp://127.0.0.1:2375');
      expect(out.environments.staging?.docker.host).toBe('tcp://proxy:2375');
      expect(secrets).toEqual([]);
    });

    it('falls back to the local socket when DOCKER_HOST is unset', () => {
      expect(loaded(minimalConfig()).config.environments.prod?.docker.host).toBe(
        'unix:///var/run/docker.sock',
      );
    });
  });
});
