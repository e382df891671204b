import type Docker from 'dockerode';
import { PlatformConflictError } from '../../core/errors.js';
import type { ServiceState, TaskSummary } from '../../core/ports/container-platform.js';
import type {
  AppliedChange,
  ServiceChange,
  ServiceLook,
  ServiceOperator,
} from '../../core/ports/service-operator.js';
import { callDocker, type DockerCallOptions } from './call-docker.js';
import { alreadyThere, changedSpec } from './changed-spec.js';
import type { EngineService, EngineTask } from './engine-types.js';
import { statusCode } from './to-docker-error.js';
import { toServiceState } from './to-service-state.js';
import { newestFirst, toTaskSummary } from './to-task-summary.js';

export interface SwarmOperatorOptions {
  readonly docker: Docker;
  readonly stack: string;
  readonly host: string;
  readonly timeoutMs: number;
}

interface Engine {
  readonly options: SwarmOperatorOptions;
  readonly call: DockerCallOptions;
  readonly fullName: (name: string) => string;
}

function isOutOfSequence(error: unknown): boolean {
  const json = (error as { json?: { message?: string } } | undefined)?.json;
  const text = `${json?.message ?? ''} ${error instanceof Error ? error.message : ''}`;
  return statusCode(error) === 500 && text.includes('update out of sequence');
}

/** `GET /services/{name}`: the spec, its `Version.Index` and update status; undefined on 404. */
async function inspectRaw(engine: Engine, name: string): Promise<EngineService | undefined> {
  const fullName = engine.fullName(name);
  try {
    const service = (await callDocker(
      engine.call,
      `GET /services/${fullName}`,
      () => engine.options.docker.getService(fullName).inspect(),
      (e) => statusCode(e) === 404,
    )) as EngineService;
    return service.ID === undefined || service.Spec === undefined ? undefined : service;
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/** `GET /tasks?filters={"service":[id]}`, newest first; undefined once the service is gone. */
async function tasksOf(engine: Engine, id: string): Promise<TaskSummary[] | undefined> {
  try {
    const raw = (await callDocker(
      engine.call,
      'GET /tasks',
      () => engine.options.docker.listTasks({ filters: { service: [id] } }),
      (e) => statusCode(e) === 404,
    )) as EngineTask[];
    return raw.map(toTaskSummary).sort(newestFirst);
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/** `POST /services/{id}/update?version=N` with the whole spec in the body, never the URL. */
async function updateAgainst(
  engine: Engine,
  current: EngineService,
  change: ServiceChange,
): Promise<AppliedChange> {
  const version = current.Version?.Index ?? 0;
  // Sent again after a lost answer, the change would be a second restart, or a new version
  // with the same spec: nothing is sent when the inspect in hand already shows it.
  if (alreadyThere(current.Spec ?? {}, change)) return { fromVersion: version, warnings: [] };
  const spec = changedSpec(current.Spec ?? {}, change);
  const id = current.ID ?? '';
  const result = (await callDocker(
    engine.call,
    `POST /services/${current.Spec?.Name ?? id}/update`,
    () => engine.options.docker.getService(id).update({ _query: { version }, _body: spec }),
    (error) => isOutOfSequence(error) || (statusCode(error) ?? 0) >= 400,
  )) as { Warnings?: string[] | null };
  return { fromVersion: version, warnings: result.Warnings ?? [] };
}

/**
 * The update against the inspect in hand; when the Engine says "update out of sequence" (its
 * optimistic-concurrency conflict), once more against a fresh inspect.
 */
async function applyFrom(
  engine: Engine,
  name: string,
  current: EngineService,
  change: ServiceChange,
): Promise<AppliedChange> {
  try {
    return await updateAgainst(engine, current, change);
  } catch (error) {
    if (!isOutOfSequence(error)) throw engineRefusal(error);
  }
  const fresh = await inspectRaw(engine, name);
  if (fresh === undefined) throw new Error(`${engine.fullName(name)} does not exist`);
  try {
    return await updateAgainst(engine, fresh, change);
  } catch (again) {
    if (!isOutOfSequence(again)) throw engineRefusal(again);
    throw new PlatformConflictError(
      `${engine.fullName(name)} kept changing under us ("update out of sequence" twice); look at who else is updating it.`,
    );
  }
}

/** One inspect to act on; each refresh is one Engine call (the tasks, or the service). */
function lookFrom(engine: Engine, name: string, inspected: EngineService): ServiceLook {
  let service = inspected;
  let tasks: readonly TaskSummary[] = [];
  const id = inspected.ID ?? '';
  return {
    state: toServiceState(inspected, name, []),
    apply: (change) => applyFrom(engine, name, inspected, change),
    async refresh(part): Promise<ServiceState | undefined> {
      if (part === 'tasks') {
        const fresh = await tasksOf(engine, id);
        if (fresh === undefined) return undefined;
        tasks = fresh;
      } else {
        const fresh = await inspectRaw(engine, name);
        if (fresh === undefined) return undefined;
        service = fresh;
      }
      return toServiceState(service, name, tasks);
    },
  };
}

/**
 * Privileged changes through the Engine API only. `look` is one `GET /services/{name}`: the
 * drift check reads it and the update goes against its `Version.Index`, so nothing is inspected
 * twice between the check and the change.
 */
export function createSwarmOperator(options: SwarmOperatorOptions): ServiceOperator {
  const engine: Engine = {
    options,
    call: { host: options.host, timeoutMs: options.timeoutMs },
    fullName: (name) => `${options.stack}_${name}`,
  };
  return {
    async inspect(name): Promise<ServiceState | undefined> {
      const service = await inspectRaw(engine, name);
      if (service?.ID === undefined) return undefined;
      const tasks = await tasksOf(engine, service.ID);
      return tasks === undefined ? undefined : toServiceState(service, name, tasks);
    },
    async look(name) {
      const service = await inspectRaw(engine, name);
      return service === undefined ? undefined : lookFrom(engine, name, service);
    },
    async apply(name, change) {
      const service = await inspectRaw(engine, name);
      if (service === undefined) throw new Error(`${engine.fullName(name)} does not exist`);
      return applyFrom(engine, name, service, change);
    },
  };
}

/** A 4xx/5xx from the Engine on update is not transient: say what it said. */
function engineRefusal(error: unknown): unknown {
  const status = statusCode(error);
  if (status === undefined) return error;
  const message =
    (error as { json?: { message?: string } }).json?.message ??
    (error instanceof Error ? error.message : String(error));
  return new Error(`the Engine refused the update (${status}): ${message}`);
}
