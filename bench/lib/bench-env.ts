/**
 * The infrastructure `npm run bench` provisions (bench/run.sh: `.ci/infra.sh up`, the `tasfix`
 * fixture stack, then `.infra/env` exported): our own dockerd (a single-node swarm) and Redis.
 */
export interface BenchEnv {
  readonly dockerHost: string;
  readonly redisUrl: string;
  /** `/work/…/docker.sock`: for the docker CLI's `-H` and dockerode. */
  readonly dockerSocket: string;
}

export function benchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  const dockerHost = env.DOCKER_HOST ?? '';
  const redisUrl = env.REDIS_URL ?? '';
  if (!dockerHost.startsWith('unix://') || redisUrl === '') {
    throw new Error(
      `the benchmarks need DOCKER_HOST=unix://…/.infra/docker/docker.sock and REDIS_URL=redis://127.0.0.1:6391 ` +
        `(got DOCKER_HOST=${dockerHost || 'unset'}, REDIS_URL=${redisUrl || 'unset'}); run them with \`npm run bench\`, ` +
        'which provisions both (.ci/infra.sh up) and exports them from .infra/env',
    );
  }
  return { dockerHost, redisUrl, dockerSocket: dockerHost.slice('unix://'.length) };
}

/** Debian's docker CLI, which matches our 20.10 daemon (.ci/lib.sh says why not /usr/local/bin). */
export const DOCKER_CLI = '/usr/bin/docker';

/** The fixture stack `.ci/fixture-stack.sh deploy tasfix` deploys; its services in runbook stop order, as the tests know them. */
export const FIXTURE_STACK = 'tasfix';
export { fixtureServices as FIXTURE_SERVICES } from '../../test/support/infra.js';

/** The fixture's status routes (test/fixtures/stack/tas-stack.yml), probed by the bot and by curl alike. */
export const FIXTURE_PROBES = [
  { name: 'frontend', url: 'http://127.0.0.1:18080/' },
  { name: 'backend-liveness', url: 'http://127.0.0.1:18081/cgi-bin/liveness' },
  { name: 'backend-readiness', url: 'http://127.0.0.1:18081/cgi-bin/readiness' },
] as const;
