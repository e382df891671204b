import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the real infrastructure for integration tests lives. `npm test` (`.ci/test.sh`)
 * provisions it with `.ci/infra.sh up` and `.ci/fixture-stack.sh deploy tasfix`, and exports
 * `DOCKER_HOST` and `REDIS_URL`; a plain `npx vitest` falls back to the `.infra/env` those
 * scripts write. Ports are fixed by `test/fixtures/stack/tas-stack.yml` and `.ci/lib.sh`.
 */
export interface InfraEnv {
  /** `unix:///…/docker.sock` of our own dockerd (a single-node swarm), never the system one. */
  readonly dockerHost: string;
  /** `redis://127.0.0.1:6391`: our own redis-server, `maxmemory-policy noeviction`. */
  readonly redisUrl: string;
  /** Stack namespace of the fixture stack: services are `tasfix_<service>`. */
  readonly fixtureStack: 'tasfix';
  readonly ports: {
    /** Fixture frontend, busybox httpd on 127.0.0.1: `GET /` → 200. */
    readonly frontend: 18080;
    /** Fixture backend on 127.0.0.1: `/cgi-bin/liveness` → 200, `/cgi-bin/readiness` → 503. */
    readonly backend: 18081;
    readonly redis: 6391;
    /** Swarm manager listen port on 127.0.0.1. */
    readonly swarm: 4377;
  };
}

/** Service names in the fixture stack, in the runbook's stop order (runbook section 3.4). */
export const fixtureServices = [
  'backend-cron',
  'backend',
  'frontend',
  'arango',
  'elasticsearch',
  'redis',
  'tika',
] as const;

export type FixtureService = (typeof fixtureServices)[number];

/** Repository root, from this file's location (test/support/infra.ts). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Path of the env file `.ci/infra.sh up` writes. */
export const infraEnvFile = fileURLToPath(new URL('../../.infra/env', import.meta.url));

/** Reads `KEY=value` lines of `.infra/env`; an absent file gives no values. */
function readInfraEnvFile(): Readonly<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(infraEnvFile, 'utf8');
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values[match[1]] = match[2].trim();
  }
  return values;
}

function pick(
  env: NodeJS.ProcessEnv,
  name: string,
  file: Readonly<Record<string, string>>,
): string {
  const value = env[name];
  return value !== undefined && value !== '' ? value : (file[name] ?? '');
}

/** What to do when the infrastructure is missing; part of every error about it. */
export const provisionHint =
  'run `npm test`, which provisions them (`.ci/infra.sh up` starts our own dockerd and redis-server, ' +
  '`.ci/fixture-stack.sh deploy tasfix` deploys the fixture stack, and both are exported as ' +
  'DOCKER_HOST and REDIS_URL; a plain `npx vitest` reads them from .infra/env)';

/**
 * The infrastructure contract: `DOCKER_HOST` and `REDIS_URL` from the process env, else from
 * `.infra/env`. Throws, naming both, when either is missing; `test/global-setup.ts` also checks
 * that they answer before any test runs.
 */
export function infraEnv(env: NodeJS.ProcessEnv = process.env): InfraEnv {
  const file = readInfraEnvFile();
  const dockerHost = pick(env, 'DOCKER_HOST', file);
  const redisUrl = pick(env, 'REDIS_URL', file);
  if (dockerHost === '' || redisUrl === '') {
    throw new Error(
      `Integration infrastructure is not configured: expected DOCKER_HOST=unix://…/.infra/docker/docker.sock ` +
        `(got ${dockerHost === '' ? 'unset' : dockerHost}) and REDIS_URL=redis://127.0.0.1:6391 ` +
        `(got ${redisUrl === '' ? 'unset' : redisUrl}) in the environment or in ${infraEnvFile}; ${provisionHint}.`,
    );
  }
  return {
    dockerHost,
    redisUrl,
    fixtureStack: 'tasfix',
    ports: { frontend: 18080, backend: 18081, redis: 6391, swarm: 4377 },
  };
}

/** Filesystem path of the Docker socket (`DOCKER_HOST` without `unix://`), for `node:http`'s `socketPath` or dockerode. */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const { dockerHost } = infraEnv(env);
  if (!dockerHost.startsWith('unix://')) {
    throw new Error(`DOCKER_HOST=${dockerHost} is not a unix:// socket; ${provisionHint}.`);
  }
  return dockerHost.slice('unix://'.length);
}
