import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import { UserError } from '../../core/errors.js';
import type {
  ContainerPlatform,
  LogSource,
  LogStreamOptions,
} from '../../core/ports/container-platform.js';
import { callDocker, type DockerCallOptions } from '../docker/call-docker.js';
import { dialLogStream } from '../docker/dial-log-stream.js';
import { statusCode, toDockerError } from '../docker/to-docker-error.js';
import { logLines, mergeByTime } from './log-lines.js';
import { projectContainers, toServiceStates, type ComposeProject } from './project-containers.js';

export interface ComposePlatformOptions {
  /** From createDockerClient (pinned to API v1.41). */
  readonly docker: Docker;
  /** The Compose project name: containers labelled `com.docker.compose.project=<project>`. */
  readonly project: string;
  /** The configured `docker.host`, named in error messages. */
  readonly host?: string;
  readonly timeoutMs?: number;
  /** One-shot services named in the config (others are found from `depends_on` labels). */
  readonly oneShot?: readonly string[];
}

/** The Compose project the options describe, shared by the platform and the operator. */
export function composeProject(options: ComposePlatformOptions): ComposeProject {
  return {
    docker: options.docker,
    project: options.project,
    call: {
      host: options.host ?? 'the configured Docker host',
      timeoutMs: options.timeoutMs ?? 10_000,
    },
    oneShot: options.oneShot ?? [],
  };
}

/**
 * The ContainerPlatform on a plain Docker Engine running a Compose project: services from the
 * Compose labels, replicas as containers, logs of every replica merged by time (what
 * `docker compose logs <service>` shows), through the Engine API only.
 */
export function createComposePlatform(options: ComposePlatformOptions): ContainerPlatform {
  const project = composeProject(options);
  return {
    async listServices() {
      return toServiceStates(project, await projectContainers(project));
    },
    async streamLogs(service, logOptions) {
      const containers = (await projectContainers(project)).get(service.name) ?? [];
      if (containers.length === 0) {
        throw new UserError(
          'UNKNOWN_SERVICE',
          `${service.fullName} has no containers on ${project.call.host} any more.`,
        );
      }
      const responses: IncomingMessage[] = [];
      try {
        for (const container of containers) {
          responses.push(
            await dialContainerLogs(project.docker, project.call, container.Id ?? '', logOptions),
          );
        }
      } catch (error) {
        for (const response of responses) response.destroy();
        throw error;
      }
      return mergedSource(
        responses,
        containers.map((c) => ({ tty: c.Config?.Tty === true, id: (c.Id ?? '').slice(0, 12) })),
        project.call,
      );
    },
  };
}

function mergedSource(
  responses: readonly IncomingMessage[],
  containers: readonly { readonly tty: boolean; readonly id: string }[],
  call: DockerCallOptions,
): LogSource {
  let closed = false;
  const lines = responses.map((response, index) =>
    logLines(response, containers[index]?.tty !== true, containers[index]?.id),
  );
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      yield* mergeByTime(lines);
    } catch (error) {
      // Our own close() ends the streams; anything else is the daemon or the socket failing.
      if (!closed)
        throw toDockerError(error, {
          ...call,
          action: 'GET /containers/{id}/logs',
          timedOut: false,
        });
    }
  }
  return {
    framing: 'multiplexed',
    chunks: chunks(),
    close() {
      closed = true;
      for (const response of responses) response.destroy();
    },
  };
}

/** `GET /containers/{id}/logs` as a stream (dockerode's `logs()` buffers the whole log). */
async function dialContainerLogs(
  docker: Docker,
  call: DockerCallOptions,
  id: string,
  options: LogStreamOptions,
): Promise<IncomingMessage> {
  const action = `GET /containers/${id.slice(0, 12)}/logs`;
  return callDocker(
    call,
    action,
    (abortSignal) =>
      dialLogStream(
        docker,
        `/containers/${encodeURIComponent(id)}`,
        { 200: true, 404: 'no such container', 500: 'server error' },
        options,
        abortSignal,
      ),
    (error) => statusCode(error) === 404,
  ).catch((error: unknown) => {
    if (statusCode(error) === 404)
      throw new UserError(
        'UNKNOWN_SERVICE',
        `container ${id.slice(0, 12)} vanished while its logs were read; try again.`,
      );
    throw error;
  });
}
