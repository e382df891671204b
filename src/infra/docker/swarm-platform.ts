import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import { UserError } from '../../core/errors.js';
import type { ContainerPlatform, LogSource } from '../../core/ports/container-platform.js';
import { callDocker, type DockerCallOptions } from './call-docker.js';
import { dialLogStream } from './dial-log-stream.js';
import { engineReaderOf } from './engine-reader-of.js';
import { listStackServices, type StackMemory } from './list-stack-services.js';
import { statusCode, toDockerError } from './to-docker-error.js';

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
 * status and the stack's tasks, at the same time once a listing found the stack labelled; see
 * listStackServices) and one streaming call per log read.
 */
export function createSwarmPlatform(options: SwarmPlatformOptions): ContainerPlatform {
  const { docker, stack } = options;
  const call: DockerCallOptions = {
    host: options.host ?? 'the configured Docker host',
    timeoutMs: options.timeoutMs ?? clientTimeout(docker) ?? 10_000,
  };
  const memory: StackMemory = { allLabelled: false };
  const reader = engineReaderOf(docker);

  return {
    async listServices() {
      try {
        return await listStackServices(reader, stack, call, memory);
      } catch (error) {
        // A service removed between the listing and the query for its tasks by id fails that
        // query with 404 ("service X not found"); a fresh listing no longer contains it.
        if (statusCode(error) !== 404) throw error;
        try {
          return await listStackServices(reader, stack, call, memory);
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

/** docker-modem keeps the `timeout` it was built with; @types/docker-modem does not declare it. */
function clientTimeout(docker: Docker): number | undefined {
  const { timeout } = docker.modem as { timeout?: unknown };
  return typeof timeout === 'number' && timeout > 0 ? timeout : undefined;
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
