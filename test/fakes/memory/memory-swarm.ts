import type {
  ContainerPlatform,
  LogSource,
  ServiceState,
  TaskSummary,
} from '../../../src/core/ports/container-platform.js';
import type { Clock } from '../../../src/core/ports/clock.js';
import { DependencyError } from '../../../src/core/errors.js';
import type {
  AppliedChange,
  ServiceChange,
  ServiceOperator,
} from '../../../src/core/ports/service-operator.js';
import { tagOf } from '../../../src/lib/image-reference.js';

export interface SwarmServiceSpec {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
}

/** One update the Engine received, with the spec it left behind. */
export interface ReceivedUpdate {
  readonly service: string;
  readonly change: ServiceChange;
  readonly image: string;
  readonly replicas: number;
  readonly forceUpdate: number;
}

interface Service {
  image: string;
  replicas: number;
  forceUpdate: number;
  version: number;
  updateConfig: string;
  previous?: { image: string; replicas: number };
  tasks: TaskSummary[];
  logs: { at: Date; text: string }[];
  /** New tasks fail to start with this error (a bad image, a crash loop). */
  failing?: string;
  /** What each new task logs as it starts. */
  startLog?: string;
}

export interface MemorySwarm {
  readonly operator: ServiceOperator;
  readonly platform: ContainerPlatform;
  /** Updates made through the operator, in order. */
  readonly updates: ReceivedUpdate[];
  /** Engine calls by kind (`inspect`, `tasks`, `list`, `update`, `logs`). */
  readonly calls: Record<string, number>;
  /** What `docker service inspect` would show now. */
  inspect(name: string): ServiceState | undefined;
  /** Somebody else changed the service (another tool, a deploy): it moves on without the bot. */
  changeOutside(
    name: string,
    change: { image?: string; replicas?: number; updateConfig?: string; force?: boolean },
  ): void;
  /** From now on the service's new tasks fail with `error`. */
  failNewTasks(name: string, error: string): void;
  /** The service writes a log line now. */
  log(name: string, text: string): void;
  /** From now on each new task of the service logs `text` as it starts. */
  logOnStart(name: string, text: string): void;
  /**
   * The next update reaches the Engine, but its answer is lost: the caller gets a
   * DependencyError as if the connection dropped (a worker dying mid-update looks the same).
   */
  interruptNextUpdate(): void;
}

/**
 * A small swarm in memory: services with a spec, a version, ForceUpdate and tasks. An update
 * replaces the tasks at once (new ones running, or failed when told to fail), so operations
 * converge on the next look; the clock stamps every task and log line.
 */
export function createMemorySwarm(
  clock: Clock,
  specs: readonly SwarmServiceSpec[],
  stack = 'prod',
): MemorySwarm {
  const services = new Map<string, Service>();
  const updates: ReceivedUpdate[] = [];
  const calls: Record<string, number> = { inspect: 0, list: 0, update: 0, logs: 0 };
  let nextTask = 0;
  let interrupt = false;
  const count = (kind: string) => {
    calls[kind] = (calls[kind] ?? 0) + 1;
  };

  function newTasks(service: Service): void {
    const now = clock.now();
    for (const task of service.tasks) {
      if (task.desiredState === 'running')
        Object.assign(task, { desiredState: 'shutdown', state: 'shutdown', timestamp: now });
    }
    const fresh = Array.from({ length: service.replicas }, (_, i): TaskSummary => {
      nextTask += 1;
      const failed = service.failing !== undefined;
      return {
        id: `task${nextTask}`,
        slot: i + 1,
        state: failed ? 'failed' : 'running',
        desiredState: 'running',
        message: failed ? 'started' : 'running',
        ...(failed && { error: service.failing, exitCode: 1 }),
        timestamp: now,
        createdAt: now,
      };
    });
    service.tasks = [...fresh, ...service.tasks];
    const { startLog } = service;
    if (startLog !== undefined)
      service.logs.push(...fresh.map((task) => ({ at: task.createdAt, text: startLog })));
  }

  function stateOf(name: string, service: Service): ServiceState {
    const running = service.tasks.filter((t) => t.state === 'running').length;
    return {
      id: `id-${name}`,
      name,
      fullName: `${stack}_${name}`,
      image: service.image,
      imageTag: tagOf(service.image),
      desired: service.replicas,
      running,
      mode: 'replicated',
      tasks: service.tasks.map((t) => ({ ...t })),
      tty: false,
      version: service.version,
      fingerprint: `${service.image}|${service.replicas}|${service.updateConfig}`,
      forceUpdate: service.forceUpdate,
      ...(service.previous && {
        previous: {
          image: service.previous.image,
          imageTag: tagOf(service.previous.image),
          desired: service.previous.replicas,
        },
      }),
    };
  }

  /**
   * The update as the Swarm operator sends it: a restart writes the planned ForceUpdate value,
   * a rollback the recorded target image (never the previous spec as it is now).
   */
  function update(name: string, service: Service, change: ServiceChange): void {
    const before = { image: service.image, replicas: service.replicas };
    if (change.kind === 'restart')
      service.forceUpdate = change.forceUpdate ?? service.forceUpdate + 1;
    if (change.kind === 'scale') service.replicas = change.replicas;
    if (change.kind === 'image') service.image = change.image;
    if (change.kind === 'rollback') {
      if (change.target === undefined) throw new Error('a rollback without a recorded target');
      service.image = change.target.image;
    }
    service.previous = before;
    service.version += 1;
    newTasks(service);
    updates.push({ service: name, change, ...pick(service) });
  }

  for (const spec of specs) {
    const service: Service = {
      image: spec.image,
      replicas: spec.replicas ?? 1,
      forceUpdate: 0,
      version: 10,
      updateConfig: 'start-first',
      tasks: [],
      logs: [],
    };
    newTasks(service);
    services.set(spec.name, service);
  }
  const find = (name: string): Service => {
    const service = services.get(name);
    if (service === undefined) throw new Error(`no service ${name} in the memory swarm`);
    return service;
  };

  function apply(name: string, change: ServiceChange): Promise<AppliedChange> {
    count('update');
    const service = find(name);
    const fromVersion = service.version;
    // As the operator does: nothing is sent when the service already shows the change.
    if (alreadyThere(service, change)) {
      count('unchanged');
      return Promise.resolve({ fromVersion, warnings: [] });
    }
    update(name, service, change);
    if (interrupt) {
      interrupt = false;
      return Promise.reject(new DependencyError('docker', 'the connection to Docker was reset'));
    }
    return Promise.resolve({ fromVersion, warnings: [] });
  }
  const current = (name: string) => {
    const service = services.get(name);
    return service && stateOf(name, service);
  };

  const operator: ServiceOperator = {
    inspect(name) {
      count('inspect');
      return Promise.resolve(current(name));
    },
    look(name) {
      count('inspect');
      const state = current(name);
      if (state === undefined) return Promise.resolve(undefined);
      return Promise.resolve({
        state,
        apply: (change) => apply(name, change),
        refresh(part) {
          count(part === 'tasks' ? 'tasks' : 'inspect');
          return Promise.resolve(current(name));
        },
      });
    },
    apply,
  };
  const platform: ContainerPlatform = {
    listServices() {
      count('list');
      return Promise.resolve([...services].map(([name, service]) => stateOf(name, service)));
    },
    streamLogs(state, options) {
      count('logs');
      return Promise.resolve(logSource(find(state.name).logs, options.since));
    },
  };
  return {
    operator,
    platform,
    updates,
    calls,
    inspect: current,
    changeOutside(name, change) {
      const service = find(name);
      // Like any service update, it keeps the spec it replaced as the one to roll back to.
      service.previous = { image: service.image, replicas: service.replicas };
      if (change.image !== undefined) service.image = change.image;
      if (change.replicas !== undefined) service.replicas = change.replicas;
      if (change.updateConfig !== undefined) service.updateConfig = change.updateConfig;
      if (change.force === true) service.forceUpdate += 1;
      service.version += 1;
      newTasks(service);
    },
    failNewTasks(name, error) {
      find(name).failing = error;
    },
    log(name, text) {
      find(name).logs.push({ at: clock.now(), text });
    },
    logOnStart(name, text) {
      find(name).startLog = text;
    },
    interruptNextUpdate() {
      interrupt = true;
    },
  };
}

/** The Swarm operator's check against the inspect in hand, on the memory service. */
function alreadyThere(service: Service, change: ServiceChange): boolean {
  switch (change.kind) {
    case 'restart':
      return change.forceUpdate !== undefined && service.forceUpdate >= change.forceUpdate;
    case 'scale':
      return service.replicas === change.replicas;
    case 'image':
      return service.image === change.image;
    case 'rollback':
      return change.target?.image === service.image;
  }
}

function pick(service: Service): Pick<ReceivedUpdate, 'image' | 'replicas' | 'forceUpdate'> {
  return { image: service.image, replicas: service.replicas, forceUpdate: service.forceUpdate };
}

/** The Engine's raw log stream with `timestamps=1`: one `<RFC3339> <text>` line per entry. */
function logSource(lines: readonly { at: Date; text: string }[], since?: Date): LogSource {
  const text = lines
    .filter((line) => since === undefined || line.at.getTime() >= since.getTime())
    .map((line) => `${line.at.toISOString()} ${line.text}\n`)
    .join('');
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (text !== '') yield await Promise.resolve(new TextEncoder().encode(text));
  }
  return { framing: 'raw', chunks: chunks(), close: () => undefined };
}
