import type {
  ContainerPlatform,
  ServiceState,
  TaskSummary,
} from '../../src/core/ports/container-platform.js';
import type { ServiceOperator } from '../../src/core/ports/service-operator.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `svc000` … `svc199`. */
export function fakeServiceNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `svc${String(i).padStart(3, '0')}`);
}

function runningTask(service: string, createdAt: Date): TaskSummary {
  return {
    id: `task-${service}-${createdAt.getTime()}`,
    slot: 1,
    state: 'running',
    desiredState: 'running',
    message: 'started',
    timestamp: createdAt,
    createdAt,
  };
}

/**
 * An in-memory stack of `count` one-replica services behind both ports: a restart bumps
 * ForceUpdate and replaces the task at once, so an operation converges and verifies on its
 * first look. Nothing here touches a swarm: the approval benchmark measures the path to the
 * job's start, not the change.
 */
export function fakeCluster(
  count: number,
  stack: string,
): { platform: ContainerPlatform; operator: ServiceOperator; applied(): number } {
  const services = new Map<string, Mutable<ServiceState>>();
  const created = new Date(Date.now() - 3_600_000);
  for (const name of fakeServiceNames(count)) {
    services.set(name, {
      id: `id-${name}`,
      name,
      fullName: `${stack}_${name}`,
      image: 'tas-fixture:1',
      imageTag: '1',
      desired: 1,
      running: 1,
      mode: 'replicated',
      tasks: [runningTask(name, created)],
      tty: false,
      version: 1,
      fingerprint: `fp-${name}`,
      forceUpdate: 0,
    });
  }
  let applied = 0;
  const platform: ContainerPlatform = {
    listServices: () => Promise.resolve([...services.values()].map((s) => ({ ...s }))),
    streamLogs: () =>
      Promise.resolve({
        framing: 'raw' as const,
        chunks: (async function* (): AsyncGenerator<Uint8Array> {})(),
        close: () => undefined,
      }),
  };
  const operator: ServiceOperator = {
    inspect: (name) => Promise.resolve(services.has(name) ? { ...services.get(name)! } : undefined),
    apply(name, change) {
      const service = services.get(name);
      if (service === undefined) return Promise.reject(new Error(`no service ${name}`));
      if (change.kind !== 'restart')
        return Promise.reject(new Error(`the fake cluster only restarts, not ${change.kind}`));
      const fromVersion = service.version;
      applied += 1;
      service.forceUpdate = (service.forceUpdate ?? 0) + 1;
      service.version += 1;
      service.tasks = [runningTask(name, new Date())];
      return Promise.resolve({ fromVersion, warnings: [] });
    },
  };
  return { platform, operator, applied: () => applied };
}
