import { describe, expect, it } from 'vitest';
import { DependencyError } from '../../../../src/core/errors.js';
import type { Prober } from '../../../../src/core/ports/prober.js';
import { checkStatus } from '../../../../src/diagnostics/status/check-status.js';
import { environment, fakePlatform, fakeProber, service, steppingClock } from './status-fakes.js';
import { NOW, fastLoop, task } from './tasks.js';

const healthy = () => ['backend-cron', 'backend', 'frontend', 'redis'].map((name) => service(name));

const probes = [
  {
    name: 'readiness',
    url: 'https://tas.example/api/status/readiness',
    expect: { json: { status: 'OK' } },
  },
  { name: 'search', url: 'https://tas.example/api/search/ping', severity: 'degraded' },
  { name: 'mongo', tcp: '127.0.0.1:27017' },
];

describe('checkStatus', () => {
  it('is OK when every service runs and every probe passes', async () => {
    const snapshot = await checkStatus(
      { platform: fakePlatform(healthy()), prober: fakeProber(), clock: steppingClock() },
      environment({ probes }),
      'prod',
    );

    expect(snapshot).toMatchObject({
      environment: 'prod',
      verdict: 'OK',
      reasons: [],
      checkedAt: NOW,
      tookMs: 84,
    });
    expect(snapshot.services.map((s) => [s.name, s.health])).toEqual([
      ['backend-cron', 'ok'],
      ['backend', 'ok'],
      ['frontend', 'ok'],
      ['redis', 'ok'],
    ]);
    expect(snapshot.probes.map((p) => [p.name, p.outcome, p.severity])).toEqual([
      ['readiness', 'ok', 'down'],
      ['search', 'ok', 'degraded'],
      ['mongo', 'ok', 'down'],
    ]);
  });

  it('keeps the order of env.services and reports missing ones as not deployed', async () => {
    const listing = [service('frontend'), service('backend'), service('backend-cron')];

    const snapshot = await checkStatus(
      { platform: fakePlatform(listing), prober: fakeProber(), clock: steppingClock() },
      environment(),
      'prod',
    );

    expect(snapshot.services.map((s) => [s.name, s.health])).toEqual([
      ['backend-cron', 'ok'],
      ['backend', 'ok'],
      ['frontend', 'ok'],
      ['redis', 'missing'],
    ]);
    expect(snapshot.verdict).toBe('DEGRADED');
    expect(snapshot.reasons).toEqual(['redis: not deployed']);
  });

  describe('when the stack holds services the config does not list', () => {
    it('names them apart and leaves them out of the services and the verdict', async () => {
      const listing = [
        service('zeta', { running: 0, tasks: fastLoop() }),
        ...healthy(),
        service('alpha', { desired: 0, running: 0, tasks: [] }),
      ];

      const snapshot = await checkStatus(
        { platform: fakePlatform(listing), prober: fakeProber(), clock: steppingClock() },
        environment(),
        'prod',
      );

      expect(snapshot.services.map((s) => s.name)).toEqual([
        'backend-cron',
        'backend',
        'frontend',
        'redis',
      ]);
      expect(snapshot.unconfigured).toEqual(['alpha', 'zeta']);
      expect(snapshot.verdict).toBe('OK');
      expect(snapshot.reasons).toEqual([]);
    });
  });

  it('runs the Docker listing and every probe at the same time', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = <T>(value: T) =>
      new Promise<T>((resolve) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          resolve(value);
        }, 20);
      });
    const platform = { ...fakePlatform([]), listServices: () => slow(healthy()) };
    const prober: Prober = {
      probe: (spec) =>
        slow({ name: spec.name, target: '', outcome: 'ok', latencyMs: 1, detail: 'ok' }),
    };

    await checkStatus(
      { platform, prober, clock: steppingClock() },
      environment({ probes }),
      'prod',
    );

    expect(most).toBe(4);
  });

  describe('when Docker is unreachable', () => {
    it('still reports every probe and says why the services are missing', async () => {
      const unreachable = new DependencyError(
        'docker',
        'Docker at unix:///var/run/docker.sock is unreachable (ECONNREFUSED).',
      );

      const snapshot = await checkStatus(
        { platform: fakePlatform(unreachable), prober: fakeProber(), clock: steppingClock() },
        environment({ probes }),
        'prod',
      );

      expect(snapshot).toMatchObject({
        verdict: 'DEGRADED',
        services: [],
        platformError: 'Docker at unix:///var/run/docker.sock is unreachable (ECONNREFUSED).',
        reasons: ['platform: Docker at unix:///var/run/docker.sock is unreachable (ECONNREFUSED).'],
      });
      expect(snapshot.probes).toHaveLength(3);
    });

    it('is DOWN when a down probe fails too', async () => {
      const snapshot = await checkStatus(
        {
          platform: fakePlatform(new DependencyError('docker', 'unreachable')),
          prober: fakeProber({
            readiness: { outcome: 'fail', status: 503, detail: '503 {"status":"UNAVAILABLE"}' },
          }),
          clock: steppingClock(),
        },
        environment({ probes }),
        'prod',
      );

      expect(snapshot.verdict).toBe('DOWN');
      expect(snapshot.reasons[0]).toBe('readiness: 503 {"status":"UNAVAILABLE"}');
    });
  });

  describe('when a probe fails', () => {
    it('is DOWN for a probe of severity down', async () => {
      const snapshot = await checkStatus(
        {
          platform: fakePlatform(healthy()),
          prober: fakeProber({
            mongo: { outcome: 'timeout', detail: 'timed out after 3s connecting' },
          }),
          clock: steppingClock(),
        },
        environment({ probes }),
        'prod',
      );

      expect(snapshot).toMatchObject({
        verdict: 'DOWN',
        reasons: ['mongo: timed out after 3s connecting'],
      });
    });

    it('is DEGRADED for a probe of severity degraded', async () => {
      const snapshot = await checkStatus(
        {
          platform: fakePlatform(healthy()),
          prober: fakeProber({
            search: { outcome: 'error', detail: 'ECONNREFUSED 127.0.0.7:443' },
          }),
          clock: steppingClock(),
        },
        environment({ probes }),
        'prod',
      );

      expect(snapshot.verdict).toBe('DEGRADED');
    });

    it('reports a prober that throws as an error row instead of failing the check', async () => {
      const prober: Prober = { probe: () => Promise.reject(new Error('boom')) };

      const snapshot = await checkStatus(
        { platform: fakePlatform(healthy()), prober, clock: steppingClock() },
        environment({ probes: [probes[0]] }),
        'prod',
      );

      expect(snapshot.probes).toEqual([
        {
          name: 'readiness',
          target: 'https://tas.example/api/status/readiness',
          outcome: 'error',
          latencyMs: 0,
          detail: 'boom',
          severity: 'down',
        },
      ]);
    });
  });

  describe('service health', () => {
    async function healthOf(...overrides: Parameters<typeof service>[1][]) {
      const listing = healthy().map((s, index) =>
        index === 1 ? service(s.name, overrides[0]) : s,
      );
      const snapshot = await checkStatus(
        { platform: fakePlatform(listing), prober: fakeProber(), clock: steppingClock() },
        environment(),
        'prod',
      );
      return { backend: snapshot.services[1]!, snapshot };
    }

    it('is down when a service that should run has nothing running, and so is the environment', async () => {
      const { backend, snapshot } = await healthOf({
        running: 0,
        tasks: [
          task('pending', 30, {
            desiredState: 'running',
            message: 'no suitable node (insufficient resources on 1 node)',
          }),
        ],
      });

      expect(backend).toMatchObject({
        health: 'down',
        problem: 'no running task: pending (no suitable node (insufficient resources on 1 node))',
      });
      expect(snapshot.verdict).toBe('DOWN');
    });

    it('is stopped when scaled to 0, which degrades the environment', async () => {
      const { backend, snapshot } = await healthOf({ desired: 0, running: 0, tasks: [] });

      expect(backend).toMatchObject({
        health: 'stopped',
        problem: 'scaled to 0',
        issue: 'scaled-to-zero',
      });
      expect(snapshot.verdict).toBe('DEGRADED');
    });

    it('is degraded with only some replicas running', async () => {
      const { backend } = await healthOf({ desired: 2, running: 1 });

      expect(backend).toMatchObject({
        health: 'degraded',
        problem: '1 of 2 running',
        issue: 'partial',
      });
    });

    it('is degraded while an update is in progress', async () => {
      const { backend } = await healthOf({
        update: { state: 'updating', message: 'update in progress' },
      });

      expect(backend).toMatchObject({
        health: 'degraded',
        problem: 'updating (update in progress)',
      });
    });

    it('is ok after an update completed', async () => {
      const { backend } = await healthOf({
        update: { state: 'completed', message: 'update completed' },
      });

      expect(backend.health).toBe('ok');
    });

    it('is degraded in a restart loop even while a task happens to be running', async () => {
      const { backend } = await healthOf({ running: 1, tasks: fastLoop() });

      expect(backend).toMatchObject({
        health: 'degraded',
        issue: 'restart-loop',
        problem: 'restart loop (4 failed tasks in 10m): task: non-zero exit (1)',
        restartLoop: { inLoop: true, failures: 4 },
      });
    });

    it('uses the environment restartLoop settings', async () => {
      const listing = healthy().map((s) =>
        s.name === 'backend'
          ? service('backend', {
              tasks: [task('running', 1), task('failed', 120), task('failed', 240)],
            })
          : s,
      );
      const check = (restartLoop: object) =>
        checkStatus(
          { platform: fakePlatform(listing), prober: fakeProber(), clock: steppingClock() },
          environment({ restartLoop }),
          'prod',
        );

      expect((await check({ failures: 2, window: '10m' })).services[1]?.health).toBe('degraded');
      expect((await check({ failures: 2, window: '3m' })).services[1]?.health).toBe('ok');
    });
  });
});
