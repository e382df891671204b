import { environmentSchema, type EnvironmentConfig } from '../../../../src/config/schema.js';
import type { Clock } from '../../../../src/core/ports/clock.js';
import type {
  ContainerPlatform,
  ServiceState,
} from '../../../../src/core/ports/container-platform.js';
import type { ProbeResult, ProbeSpec, Prober } from '../../../../src/core/ports/prober.js';
import { NOW, task } from './tasks.js';

export function environment(overrides: Record<string, unknown> = {}): EnvironmentConfig {
  return environmentSchema.parse({
    platform: 'swarm',
    stack: 'prod',
    services: ['backend-cron', 'backend', 'frontend', 'redis'],
    policy: { read: ['oncall'] },
    ...overrides,
  });
}

export function service(name: string, overrides: Partial<ServiceState> = {}): ServiceState {
  return {
    id: `id-${name}`,
    name,
    fullName: `prod_${name}`,
    image: `registry.example/tas/${name}:5.15.2`,
    imageTag: '5.15.2',
    desired: 1,
    running: 1,
    mode: 'replicated',
    tasks: [task('running', 3600)],
    tty: false,
    version: 10,
    ...overrides,
  };
}

export function fakePlatform(
  listing: readonly ServiceState[] | Error,
): ContainerPlatform & { calls: number } {
  return {
    calls: 0,
    listServices() {
      this.calls += 1;
      return listing instanceof Error ? Promise.reject(listing) : Promise.resolve(listing);
    },
    streamLogs: () => Promise.reject(new Error('not used by status')),
  };
}

/** Answers each probe by name; unknown names come back ok. */
export function fakeProber(
  results: Record<string, Partial<ProbeResult>> = {},
): Prober & { seen: ProbeSpec[] } {
  const seen: ProbeSpec[] = [];
  return {
    seen,
    probe(spec) {
      seen.push(spec);
      const target = spec.kind === 'http' ? spec.url : `${spec.host}:${spec.port}`;
      return Promise.resolve({
        name: spec.name,
        target,
        outcome: 'ok',
        latencyMs: 12,
        detail: '200 OK',
        ...results[spec.name],
      });
    },
  };
}

/** A clock that moves `stepMs` on every reading, so tookMs is predictable. */
export function steppingClock(stepMs = 84, start = NOW): Clock {
  let now = start.getTime() - stepMs;
  return {
    now: () => {
      now += stepMs;
      return new Date(now);
    },
  };
}
