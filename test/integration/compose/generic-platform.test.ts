import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { connectTestSwarm, testDockerHost } from '../docker/test-swarm.js';
import {
  composeFixture,
  eventually,
  freePort,
  uniqueProject,
  type ComposeFixture,
} from './compose-fixture.js';
import {
  rowValue,
  startPlatformHarness,
  textOf,
  type PlatformHarness,
} from './platform-harness.js';

/** The platform runbook's Compose service: an api with /health and /health/ready, and its cache. */
describe('the generic platform on Docker Compose', () => {
  let docker: Docker;
  let fixture: ComposeFixture;
  let h: PlatformHarness;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    fixture = composeFixture(docker, uniqueProject());
    const ports = { api: await freePort(), cache: await freePort() };
    await fixture.create({
      service: 'cache',
      script: 'tcp-service.sh',
      env: { NAME: 'cache', PORT: ports.cache },
    });
    await fixture.create({
      service: 'api',
      script: 'platform-api.sh',
      env: { PORT: ports.api, CACHE_PORT: ports.cache },
      healthcheck: `wget -q -O /dev/null http://127.0.0.1:${ports.api}/cgi-bin/health || exit 1`,
    });
    h = await startPlatformHarness(`    platform: compose
    stack: ${fixture.project}
    docker: { host: "${testDockerHost()}" }
    services: [api, cache]
    probes:
      - { name: liveness, url: "http://127.0.0.1:${ports.api}/cgi-bin/health" }
      - { name: readiness, url: "http://127.0.0.1:${ports.api}/cgi-bin/ready", failureField: component }`);
  });
  afterAll(async () => {
    await h?.close();
    await fixture?.removeAll();
  });

  it('is OK once the api passes its Docker healthcheck', async () => {
    const reply = await eventually('api healthy', async () => {
      const r = await h.say('alice', '/tas status');
      return r.verdict === 'OK' ? r : undefined;
    });
    expect(rowValue(reply, 'api')).toBe('1/1  1');
    expect(rowValue(reply, 'readiness')).toMatch(/^200 OK/);
  });

  it('finds the error lines of the last 15 minutes once the cache is gone', async () => {
    const [cache] = await fixture.containers('cache');
    await docker.getContainer(cache?.Id ?? '').stop({ t: 1 });
    onTestFinished(() => docker.getContainer(cache?.Id ?? '').start());
    const reply = await eventually('readiness 503', async () => {
      const r = await h.say('alice', '/tas status');
      return rowValue(r, 'readiness')?.startsWith('503') === true ? r : undefined;
    });
    expect(rowValue(reply, 'readiness')).toMatch(/^503 component=cache/);
    expect(rowValue(reply, 'cache')).toMatch(/^0\/1/);
    const logs = await eventually('an error line', async () => {
      const text = textOf(await h.say('alice', '/tas logs api --since 15m --level error'));
      return text.includes('cache unreachable') ? text : undefined;
    });
    expect(logs).toMatch(/cache unreachable: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
  });

  it('restarts the api after approval and verifies it', async () => {
    await eventually('readiness back', async () => {
      const r = await h.say('alice', '/tas status');
      return r.verdict === 'OK' ? r : undefined;
    });
    // Verification looks for error lines from just before the restart on: wait for those to stop.
    await eventually('no more cache errors', async () => {
      const text = textOf(await h.say('alice', '/tas logs api --since 5s --level error'));
      return /: 0 of [\d,]+ lines? at level ≥ error/.test(text) ? text : undefined;
    });
    const before = await fixture.inspect('api');
    const { verdict } = await h.approved('/tas restart api');
    expect(verdict.title).toBe('Verified: restart api: done and verified');
    const after = await fixture.inspect('api');
    expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
  });

  it('deploys another tag, then rolls back to the previous one', async () => {
    const deployed = await h.approved('/tas rollback api 2');
    expect(deployed.verdict.title).toBe('Verified: rollback api: done and verified');
    expect((await fixture.inspect('api')).Config.Image).toBe('docker.io/library/tas-fixture:2');

    const { card, verdict } = await h.approved('/tas rollback api');
    expect(textOf(card)).toContain('back to the previous image: image 2→1');
    expect(textOf(card)).toMatch(/rolls back to exactly \S*tas-fixture:1/);
    expect(verdict.title).toBe('Verified: rollback api: done and verified');
    const after = await fixture.inspect('api');
    expect(after.Config.Image).toBe('tas-fixture:1');
    expect(after.State.Health?.Status).toBe('healthy');
  });
});
