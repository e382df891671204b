import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fileVariables } from '../../../src/config/env-options.js';
import { repoRoot } from '../../support/infra.js';

const run = promisify(execFile);

async function script(step: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['.ci/dockerfile-steps.sh', step], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every environment variable the code reads: env readers in src/config and `env.X` elsewhere. */
function variablesRead(): string[] {
  const names = new Set<string>(['PORT', ...fileVariables.map((name) => `${name}_FILE`)]);
  for (const file of files(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    if (file.includes('/src/config/'))
      for (const m of text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)) names.add(m[1] ?? '');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] ?? '');
  }
  names.delete('PATH');
  return [...names].sort();
}

describe('deploy/', () => {
  it('lists every variable the code reads in env.example', () => {
    const example = readFileSync(join(repoRoot, 'deploy/env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(variablesRead().filter((name) => !listed.has(name))).toEqual([]);
  });

  it('has a Dockerfile whose steps the script performs', () => {
    const dockerfile = readFileSync(join(repoRoot, 'deploy/Dockerfile'), 'utf8');
    for (const step of [
      'RUN npm ci',
      'npm run build && npm prune --omit=dev --omit=optional',
      'USER node',
      'HEALTHCHECK',
      '/health',
      'ENTRYPOINT ["tas-chatops"]',
      'CMD ["start"]',
    ]) {
      expect(dockerfile).toContain(step);
    }
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  });

  it('validates compose.yaml and stack.yaml with docker-compose config', async () => {
    const result = await script('validate');
    expect(result.output).toContain('deploy/compose.yaml validates');
    expect(result.output).toContain('deploy/stack.yaml validates');
    expect(result.code).toBe(0);
  });

  it(
    'installs, builds, prunes and starts a fresh copy as a non-root user that answers /health',
    { timeout: 600_000 },
    async () => {
      const result = await script('build');
      if (result.code !== 0)
        throw new Error(`.ci/dockerfile-steps.sh build failed:\n${result.output}`);
      expect(result.output).toContain('GET /health → 200');
      expect(result.output).toContain('runs as nobody');
      expect(result.output).toContain('SIGTERM → exit 0');
    },
  );
});

/** The Sentinel set the ha profile's bots are told to use (the form README and compose.yaml give). */
const SENTINEL_URL = 'redis+sentinel://sentinel-1:26379,sentinel-2:26379,sentinel-3:26379/mymaster';

interface ComposeService {
  readonly image?: string;
  readonly command?: string | readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly profiles?: readonly string[];
  readonly ports?: readonly (string | { readonly host_ip?: string })[];
  readonly depends_on?: Record<string, unknown>;
  readonly secrets?: readonly unknown[];
  readonly deploy?: {
    readonly replicas?: number;
    readonly placement?: {
      readonly constraints?: readonly string[];
      readonly preferences?: readonly { readonly spread: string }[];
    };
    readonly update_config?: { readonly order?: string };
  };
}

/** The file as Compose resolves it (variables, anchors, merge keys), in a clean environment. */
async function resolved(
  file: string,
  env: Record<string, string> = {},
): Promise<Record<string, ComposeService>> {
  const { stdout } = await run('/usr/bin/docker-compose', ['-f', file, 'config'], {
    cwd: join(repoRoot, 'deploy'),
    env: { PATH: '/usr/bin:/bin', ...env },
  });
  return (parse(stdout) as { services: Record<string, ComposeService> }).services;
}

/** The services Compose starts with these profiles on: no profiles, or one of them. */
function active(services: Record<string, ComposeService>, profiles: readonly string[]): string[] {
  return Object.entries(services)
    .filter(([, s]) => s.profiles === undefined || s.profiles.some((p) => profiles.includes(p)))
    .map(([name]) => name)
    .sort();
}

function commandText(service: ComposeService | undefined): string {
  const command = service?.command ?? [];
  return (typeof command === 'string' ? [command] : command).join(' ').replaceAll('$$', '$');
}

/** The sentinel's start script, run by sh with its volume in a temp dir and redis-sentinel replaced by cat. */
async function runSentinelScript(
  service: ComposeService,
  redisUrl: string,
): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tas-sentinel-'));
  try {
    writeFileSync(join(dir, 'redis-sentinel'), '#!/bin/sh\nexec cat "$1"\n', { mode: 0o755 });
    const script = commandText(service).replaceAll('/data/', `${dir}/`);
    const env = { ...service.environment, BOT_REDIS_URL: redisUrl, PATH: `${dir}:/usr/bin:/bin` };
    try {
      const { stdout, stderr } = await run('sh', ['-c', script], { env });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hostAddresses(service: ComposeService | undefined): string[] {
  return (service?.ports ?? []).map((port) =>
    typeof port === 'string' ? (port.split(':')[0] ?? '') : (port.host_ip ?? ''),
  );
}

describe('deploy/compose.yaml', () => {
  beforeAll(async () => {
    // Installs Debian's docker-compose when it is missing.
    expect((await script('validate')).code).toBe(0);
  }, 300_000);

  describe('when no profile is given', () => {
    it('runs one bot, Redis and the proxy, the bot on redis://redis:6379', async () => {
      const services = await resolved('compose.yaml');
      expect(active(services, [])).toEqual(['bot', 'docker-proxy', 'redis']);
      expect(services.bot?.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(hostAddresses(services.bot)).toEqual(['127.0.0.1']);
    });
  });

  describe('when the ha profile is on', () => {
    it('runs two bots, a Redis primary and replica, three sentinels and the proxy', async () => {
      const services = await resolved('compose.yaml', { REDIS_URL: SENTINEL_URL });
      expect(active(services, ['ha'])).toEqual([
        'bot',
        'bot-2',
        'docker-proxy',
        'redis',
        'redis-replica',
        'sentinel-1',
        'sentinel-2',
        'sentinel-3',
      ]);
      for (const name of active(services, ['ha'])) {
        const missing = Object.keys(services[name]?.depends_on ?? {}).filter(
          (dependency) => !active(services, ['ha']).includes(dependency),
        );
        expect({ name, missing }).toEqual({ name, missing: [] });
      }
    });

    it('gives both bots the Sentinel set, each on its own loopback port', async () => {
      const services = await resolved('compose.yaml', { REDIS_URL: SENTINEL_URL });
      expect(services.bot?.environment?.REDIS_URL).toBe(SENTINEL_URL);
      expect(services['bot-2']?.environment).toEqual(services.bot?.environment);
      expect(services['bot-2']?.image).toBe(services.bot?.image);
      expect(hostAddresses(services.bot)).toEqual(['127.0.0.1']);
      expect(hostAddresses(services['bot-2'])).toEqual(['127.0.0.1']);
      expect(services['bot-2']?.ports).not.toEqual(services.bot?.ports);
    });

    it("replicates the primary and has every sentinel of the URL watch it by the URL's name", async () => {
      const services = await resolved('compose.yaml', { REDIS_URL: SENTINEL_URL });
      expect(commandText(services['redis-replica'])).toContain('--replicaof redis 6379');
      const [, members = '', name = ''] =
        /^redis\+sentinel:\/\/([^/]+)\/(\w+)$/.exec(SENTINEL_URL) ?? [];
      for (const member of members.split(',')) {
        const [host = '', port = ''] = member.split(':');
        const sentinel = services[host];
        expect(sentinel?.profiles).toEqual(['ha']);
        const started = await runSentinelScript(sentinel ?? {}, SENTINEL_URL);
        expect(started.code).toBe(0);
        const conf = started.output.split('\n');
        expect(conf).toContain(`port ${port}`);
        expect(conf).toContain(`sentinel monitor ${name} redis 6379 2`);
        expect(conf).toContain(`sentinel announce-ip ${host}`);
      }
    });

    it("refuses to start a sentinel while the bots' REDIS_URL bypasses the Sentinel set", async () => {
      const services = await resolved('compose.yaml');
      const started = await runSentinelScript(services['sentinel-1'] ?? {}, 'redis://redis:6379');
      expect(started.code).not.toBe(0);
      expect(started.output).toContain(`REDIS_URL=${SENTINEL_URL}`);
    });
  });
});

describe('deploy/stack.yaml', () => {
  beforeAll(async () => {
    expect((await script('validate')).code).toBe(0);
  }, 300_000);

  describe('when deployed as a Swarm stack', () => {
    it('runs two bot replicas spread over the managers that hand over start-first', async () => {
      const { bot } = await resolved('stack.yaml');
      expect(bot?.deploy?.replicas).toBe(2);
      expect(bot?.deploy?.placement?.constraints).toEqual(['node.role == manager']);
      expect(bot?.deploy?.placement?.preferences?.map((p) => p.spread)).toEqual([
        'node.labels.zone',
      ]);
      expect(bot?.deploy?.update_config?.order).toBe('start-first');
    });

    it('gives the bots the chat tokens, Redis and the proxy, and runs the operations in workers', async () => {
      const { bot, worker } = await resolved('stack.yaml');
      expect(bot?.command).toEqual(['start', '--no-worker']);
      expect(bot?.secrets).toHaveLength(2);
      expect(bot?.environment).toMatchObject({
        REDIS_URL: 'redis://redis:6379',
        DOCKER_HOST: 'tcp://docker-proxy:2375',
        SLACK_BOT_TOKEN_FILE: '/run/secrets/tas_slack_bot_token',
      });
      expect(worker?.command).toEqual(['worker']);
      expect(worker?.deploy?.replicas).toBeGreaterThanOrEqual(2);
      expect(worker?.secrets).toBeUndefined();
      expect(worker?.environment).toMatchObject({
        REDIS_URL: 'redis://redis:6379',
        DOCKER_HOST: 'tcp://docker-proxy:2375',
      });
      expect(
        Object.keys(worker?.environment ?? {}).filter((k) => /SLACK|DISCORD|MATTERMOST/.test(k)),
      ).toEqual([]);
    });
  });
});
