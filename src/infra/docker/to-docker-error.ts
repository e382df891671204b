import { DependencyError } from '../../core/errors.js';
import { formatDuration } from '../../lib/duration.js';

/** What was being attempted, for the message. */
export interface DockerCallContext {
  /** As configured: `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2375`. */
  readonly host: string;
  /** `GET /services`, `GET /services/prod_backend/logs`. */
  readonly action: string;
  readonly timeoutMs: number;
  /** Our own deadline fired (the abort is ours, not the daemon's). */
  readonly timedOut: boolean;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Any failure of a dockerode / docker-modem call → a DependencyError naming the Engine and what
 * to check next. docker-modem reports HTTP errors as `Error` with `statusCode` and the parsed
 * body in `json`, and socket errors with their Node `code`.
 */
export function toDockerError(error: unknown, context: DockerCallContext): DependencyError {
  const at = `Docker at ${context.host}`;
  const options = { cause: error };
  if (context.timedOut) {
    return new DependencyError(
      'docker',
      `${at} did not answer ${context.action} within ${formatDuration(context.timeoutMs)} (timeout). Check that the daemon is responsive (docker info) or raise docker.timeout.`,
      options,
    );
  }
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') {
    return new DependencyError(
      'docker',
      `${at} refused the connection (${code}): the bot's user may not open the socket. Add it to the docker group or go through a socket proxy.`,
      options,
    );
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new DependencyError(
      'docker',
      `${at} is unreachable (${code}). Check that dockerd is running and that docker.host points at it.`,
      options,
    );
  }
  const status = statusCode(error);
  const said = engineMessage(error);
  if (status === 503) {
    return new DependencyError(
      'docker',
      `${at} is not a swarm manager (503): ${said}. Point docker.host at a manager node of the swarm.`,
      options,
    );
  }
  if (status === 403) {
    return new DependencyError(
      'docker',
      `${at} refused ${context.action} (403 Forbidden): a socket proxy in front of it must allow SERVICES, TASKS and GET requests.`,
      options,
    );
  }
  const what = status === undefined ? (code ?? 'error') : String(status);
  return new DependencyError(
    'docker',
    `${at} failed ${context.action} (${what}): ${said}`,
    options,
  );
}

export function statusCode(error: unknown): number | undefined {
  const value = property(error, 'statusCode');
  return typeof value === 'number' ? value : undefined;
}

function errorCode(error: unknown): string | undefined {
  const value = property(error, 'code');
  return typeof value === 'string' ? value : undefined;
}

/** The Engine's `{"message": …}` when there is one, else the error's own message. */
function engineMessage(error: unknown): string {
  const json = property(error, 'json');
  const fromJson = property(json, 'message');
  if (typeof fromJson === 'string' && fromJson !== '') return fromJson.trim();
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  return error instanceof Error ? error.message.trim() : String(error);
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
