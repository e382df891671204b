import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/ports/clock.js';
import { environmentSchema } from '../../../src/config/schema.js';
import { checkStatus } from '../../../src/diagnostics/status/check-status.js';
import { statusReply } from '../../../src/diagnostics/status/status-reply.js';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { createSwarmPlatform } from '../../../src/infra/docker/swarm-platform.js';
import { createProber } from '../../../src/infra/probes/create-prober.js';
import { fixtureServices } from '../../support/infra.js';
import { testDockerHost } from './test-swarm.js';

/**
 * The whole status check against the fixture stack `tasfix` that `npm test` deploys
 * (test/fixtures/stack/tas-stack.yml): backend-cron loops, redis is scaled to 0, the database is
 * not part of the stack, and the backend answers liveness 200 and readiness 503. Read-only.
 */
describe('checkStatus against the fixture stack', () => {
  it('reports the loop, the stopped and the missing service, and the failing readiness probe', async () => {
    const host = testDockerHost();
    const env = environmentSchema.parse({
      platform: 'swarm',
      stack: 'tasfix',
      docker: { host },
      services: [...fixtureServices, 'database'],
      policy: { read: ['oncall'] },
      probes: [
        {
          name: 'liveness',
          url: 'http://127.0.0.1:18081/cgi-bin/liveness',
          expect: { json: { status: 'OK' } },
        },
        { name: 'readiness', url: 'http://127.0.0.1:18081/cgi-bin/readiness' },
        { name: 'frontend', tcp: '127.0.0.1:18080' },
      ],
    });
    const platform = createSwarmPlatform({
      docker: createDockerClient({ host, timeoutMs: env.docker.timeout }),
      stack: env.stack,
      host,
      timeoutMs: env.docker.timeout,
    });

    const snapshot = await checkStatus(
      { platform, prober: createProber(), clock: systemClock },
      env,
      'fixture',
    );

    expect(snapshot.platformError).toBeUndefined();
    const health = Object.fromEntries(snapshot.services.map((s) => [s.name, s]));
    expect(health['backend-cron']).toMatchObject({
      issue: 'restart-loop',
      restartLoop: { inLoop: true },
    });
    expect(health['backend-cron']?.problem).toMatch(
      /^restart loop \(\d+ failed tasks? in 10m\): task: non-zero exit \(1\)$/,
    );
    expect(health.redis).toMatchObject({ health: 'stopped', problem: 'scaled to 0' });
    expect(health.database).toMatchObject({ health: 'missing', problem: 'not deployed' });
    for (const name of ['backend', 'frontend', 'tika', 'elasticsearch', 'arango']) {
      expect(health[name], name).toMatchObject({ health: 'ok', state: { desired: 1, running: 1 } });
    }
    expect(snapshot.probes.map((p) => [p.name, p.outcome, p.detail])).toEqual([
      ['liveness', 'ok', '200 OK'],
      ['readiness', 'fail', '503 {"status":"UNAVAILABLE"}'],
      ['frontend', 'ok', 'connected'],
    ]);
    expect(snapshot.verdict).toBe('DOWN');
    expect(statusReply(snapshot).title).toBe('fixture: DOWN');
  });
});
