import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import { UserError } from '../../core/errors.js';
import type {
  ContainerPlatform,
  LogSource,
  ServiceState,
  TaskSummary,
} from '../../core/ports/container-platform.js';
import { callDocker, type DockerCallOptions } from './call-docker.js';
import { dialLogStream } from './dial-log-stream.js';
import { STACK_NAMESPACE_LABEL, type EngineService, type EngineTask } from './engine-types.js';
import { statusCode, toDockerError } from './to-docker-error.js';
import { toServiceState } from './to-service-state.js';
import { newestFirst, toTaskSummary } from './to-task-summary.js';

export interface SwarmPlatformOptions {
  /** From createDockerClient (pinned to API v1.41). */
  readonly docker: Docker;
  /** The stack (namespace) whose services are `<stack>_<name>`. */
  readonly stack: string;
  /** The configured `docker.host`, named in error messages. */
  readonly host?: string;
  /**
   * Deadline for each Engine call (a listing; the time to the first log byte). Defaults to the
   * client's own `timeoutMs` (createDockerClient), else 10 s.
   */
  readonly timeoutMs?: number;
}

/**
 * The ContainerPlatform on a Docker Swarm manager: two Engine calls per listing (services with
 * status, then the tasks of all of them at once) and one streaming call per log read.
 */
export function createSwarmPlatform(options: SwarmPlatformOptions): ContainerPlatform {
  const { docker, stack } = options;
  const call: DockerCallOptions = {
    host: options.host ?? 'the configured Docker host',
    timeoutMs: options.timeoutMs ?? clientTimeout(docker) ?? 10_000,
  };

  return {
    async listServices() {
      try {
        return await listOnce(docker, stack, call);
      } catch (error) {
        // A service removed between the two calls fails the whole task query with 404
        // ("service X not found"); a fresh listing no longer contains it.
        if (statusCode(error) !== 404) throw error;
        try {
          return await listOnce(docker, stack, call);
        } catch (again) {
          if (statusCode(again) !== 404) throw again;
          throw toDockerError(again, { ...call, action: 'GET /tasks', timedOut: false });
        }
      }
    },

    async streamLogs(service, logOptions) {
      const action = `GET /services/${service.fullName}/logs`;
      const response = await callDocker(
        call,
        action,
        (abortSignal) =>
          dialLogStream(
            docker,
            `/services/${encodeURIComponent(service.id)}`,
            {
              200: true,
              404: 'no such service',
              500: 'server error',
              503: 'node is not part of a swarm',
            },
            logOptions,
            abortSignal,
            true,
          ),
        (error) => statusCode(error) === 404,
      ).catch((error: unknown) => {
        if (statusCode(error) === 404) {
          throw new UserError(
            'UNKNOWN_SERVICE',
            `${service.fullName} no longer exists on ${call.host}.`,
          );
        }
        throw error;
      });
      return toLogSource(response, service.tty, (error) =>
        toDockerError(error, { ...call, action, timedOut: false }),
      );
    },
  };
}

/** One listing: the stack's services with status, then the tasks of all of them in one call. */
async function listOnce(
  docker: Docker,
  stack: string,
  call: DockerCallOptions,
): Promise<readonly ServiceState[]> {
  // The Engine's `name` filter is a prefix match, so `prod_` also returns `prod_x_api` of a
  // stack named `prod_x`; shortNameOf keeps only what is really ours. Stack services are
  // always named `<namespace>_<service>`, so this one filter covers the namespace label too.
  const listed = await callDocker(call, 'GET /services', (abortSignal) =>
    docker.listServices({ status: true, filters: { name: [`${stack}_`] }, abortSignal }),
  );
  const ours = (listed as EngineService[]).flatMap((service) => {
    const name = shortNameOf(service, stack);
    return name === undefined || service.ID === undefined
      ? []
      : [{ service, name, id: service.ID }];
  });
  if (ours.length === 0) return [];
  const tasks = await listTasks(
    docker,
    call,
    ours.map(({ id }) => id),
  );
  return ours
    .map(({ service, name, id }) => toServiceState(service, name, tasks.get(id) ?? []))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function listTasks(
  docker: Docker,
  call: DockerCallOptions,
  serviceIds: readonly string[],
): Promise<Map<string, TaskSummary[]>> {
  const raw = await callDocker(
    call,
    'GET /tasks',
    (abortSignal) => docker.listTasks({ filters: { service: serviceIds }, abortSignal }),
    (error) => statusCode(error) === 404,
  );
  const byService = new Map<string, TaskSummary[]>();
  for (const task of raw as EngineTask[]) {
    if (task.ServiceID === undefined) continue;
    const list = byService.get(task.ServiceID) ?? [];
    list.push(toTaskSummary(task));
    byService.set(task.ServiceID, list);
  }
  for (const list of byService.values()) list.sort(newestFirst);
  return byService;
}

/** docker-modem keeps the `timeout` it was built with; @types/docker-modem does not declare it. */
function clientTimeout(docker: Docker): number | undefined {
  const { timeout } = docker.modem as { timeout?: unknown };
  return typeof timeout === 'number' && timeout > 0 ? timeout : undefined;
}

/** `prod_backend` → `backend` for stack `prod`; undefined when the service is not the stack's. */
export function shortNameOf(service: EngineService, stack: string): string | undefined {
  const fullName = service.Spec?.Name ?? '';
  const prefix = `${stack}_`;
  if (!fullName.startsWith(prefix) || fullName.length === prefix.length) return undefined;
  const namespace = service.Spec?.Labels?.[STACK_NAMESPACE_LABEL];
  // Deployed by `docker stack deploy` into another stack whose name merely starts like ours.
  if (namespace !== undefined && namespace !== stack) return undefined;
  return fullName.slice(prefix.length);
}

function toLogSource(
  response: IncomingMessage,
  tty: boolean,
  mapError: (error: unknown) => Error,
): LogSource {
  let closed = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of response) yield chunk as Uint8Array;
    } catch (error) {
      // Our own close() ends the stream; anything else is the daemon or the socket failing.
      if (!closed) throw mapError(error);
    }
  }
  return {
    framing: tty ? 'raw' : 'multiplexed',
    chunks: chunks(),
    close() {
      closed = true;
      response.destroy();
    },
  };
}
