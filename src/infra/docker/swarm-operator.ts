import type Docker from 'dockerode';
import { PlatformConflictError } from '../../core/errors.js';
import type { ServiceState } from '../../core/ports/container-platform.js';
import type {
  AppliedChange,
  ServiceChange,
  ServiceOperator,
} from '../../core/ports/service-operator.js';
import { callDocker, type DockerCallOptions } from './call-docker.js';
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

type Spec = Record<string, unknown> & {
  TaskTemplate?: Record<string, unknown> & {
    ForceUpdate?: number;
    ContainerSpec?: Record<string, unknown>;
  };
  Mode?: { Replicated?: { Replicas?: number } };
};

function isOutOfSequence(error: unknown): boolean {
  const json = (error as { json?: { message?: string } } | undefined)?.json;
  const text = `${json?.message ?? ''} ${error instanceof Error ? error.message : ''}`;
  return statusCode(error) === 500 && text.includes('update out of sequence');
}

/**
 * The change applied to a copy of the current spec, as the CLI does it (cli/command/service).
 * A rollback takes only the previous spec's image, the one thing its card shows: the Engine's
 * `rollback=previous` would restore whatever else the previous spec held (env, mounts, a
 * repository) without anyone having seen it.
 */
function changedSpec(spec: Spec, change: ServiceChange, previous: Spec | undefined): Spec {
  const next = structuredClone(spec);
  switch (change.kind) {
    case 'restart':
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ForceUpdate: (next.TaskTemplate?.ForceUpdate ?? 0) + 1,
      };
      return next;
    case 'scale':
      if (next.Mode?.Replicated === undefined)
        throw new Error('only replicated services can be scaled');
      next.Mode.Replicated.Replicas = change.replicas;
      return next;
    case 'image':
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ContainerSpec: { ...next.TaskTemplate?.ContainerSpec, Image: change.image },
      };
      return next;
    case 'rollback': {
      const image = previous?.TaskTemplate?.ContainerSpec?.Image;
      if (typeof image !== 'string' || image === '')
        throw new Error('the service has no previous image to roll back to');
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ContainerSpec: { ...next.TaskTemplate?.ContainerSpec, Image: image },
      };
      return next;
    }
  }
}

/**
 * Privileged changes through the Engine API only: inspect for the current `Version.Index`,
 * `POST /services/{id}/update?version=N` with the whole spec in the body (`_query`/`_body`,
 * so the spec never lands in the URL), and once more against a fresh inspect when the Engine
 * says "update out of sequence" (its optimistic-concurrency conflict).
 */
export function createSwarmOperator(options: SwarmOperatorOptions): ServiceOperator {
  const call: DockerCallOptions = { host: options.host, timeoutMs: options.timeoutMs };
  const fullName = (name: string) => `${options.stack}_${name}`;

  async function inspectRaw(name: string): Promise<EngineService | undefined> {
    try {
      return (await callDocker(
        call,
        `GET /services/${fullName(name)}`,
        () => options.docker.getService(fullName(name)).inspect(),
        (e) => statusCode(e) === 404,
      )) as EngineService;
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  }

  async function tasksOf(id: string) {
    const raw = (await callDocker(call, 'GET /tasks', () =>
      options.docker.listTasks({ filters: { service: [id] } }),
    )) as EngineTask[];
    return raw.map(toTaskSummary).sort(newestFirst);
  }

  async function updateOnce(name: string, change: ServiceChange): Promise<AppliedChange> {
    const current = await inspectRaw(name);
    if (current?.ID === undefined || current.Spec === undefined)
      throw new Error(`${fullName(name)} does not exist`);
    const version = current.Version?.Index ?? 0;
    const spec = changedSpec(current.Spec, change, current.PreviousSpec);
    const query = { version };
    const result = (await callDocker(
      call,
      `POST /services/${fullName(name)}/update`,
      () => options.docker.getService(current.ID ?? '').update({ _query: query, _body: spec }),
      (error) => isOutOfSequence(error) || (statusCode(error) ?? 0) >= 400,
    )) as { Warnings?: string[] | null };
    return { fromVersion: version, warnings: result.Warnings ?? [] };
  }

  return {
    async inspect(name): Promise<ServiceState | undefined> {
      const service = await inspectRaw(name);
      if (service?.ID === undefined) return undefined;
      return toServiceState(service, name, await tasksOf(service.ID));
    },
    async apply(name, change) {
      try {
        return await updateOnce(name, change);
      } catch (error) {
        if (!isOutOfSequence(error)) throw engineRefusal(error);
        try {
          return await updateOnce(name, change);
        } catch (again) {
          if (isOutOfSequence(again)) {
            throw new PlatformConflictError(
              `${fullName(name)} kept changing under us ("update out of sequence" twice); look at who else is updating it.`,
            );
          }
          throw engineRefusal(again);
        }
      }
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
