import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import type { LogStreamOptions } from '../../core/ports/container-platform.js';

/**
 * `GET <path>/logs` (a service's or a container's) as the response stream itself. dockerode's
 * `logs({follow: false})` buffers the whole log into memory; dialling with `isStream: true`
 * returns the response, which ends when the log does. Timestamps are always asked for: the
 * excerpt orders and windows by them.
 */
export function dialLogStream(
  docker: Docker,
  path: string,
  statusCodes: Readonly<Record<number, true | string>>,
  options: LogStreamOptions,
  abortSignal: AbortSignal,
  /** `details=1`: a service's lines then say which task wrote them. */
  details = false,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `${path}/logs?`,
        method: 'GET',
        isStream: true,
        abortSignal,
        statusCodes: { ...statusCodes },
        options: {
          stdout: true,
          stderr: true,
          timestamps: true,
          follow: false,
          ...(details && { details: true }),
          ...(options.since === undefined ? {} : { since: unixSeconds(options.since) }),
          ...(options.tail === undefined ? {} : { tail: options.tail }),
        },
      },
      (error, result) => {
        if (error) reject(error);
        else resolve(result as IncomingMessage);
      },
    );
  });
}

/** The Engine's `since`: seconds, with the fraction in nanoseconds after the dot. */
function unixSeconds(date: Date): string {
  const ms = date.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}
