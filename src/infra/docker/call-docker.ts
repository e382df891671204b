import { toDockerError } from './to-docker-error.js';

export interface DockerCallOptions {
  readonly host: string;
  readonly timeoutMs: number;
}

/**
 * Runs one Engine call under a hard deadline: the request is aborted when it passes, and the
 * caller gets a DependencyError then even if docker-modem never calls back. Every failure is
 * mapped by toDockerError; `passThrough` lets the caller see selected raw errors (a 404 it
 * handles itself) before mapping.
 */
export async function callDocker<T>(
  options: DockerCallOptions,
  action: string,
  run: (signal: AbortSignal) => Promise<T>,
  passThrough: (error: unknown) => boolean = () => false,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`deadline of ${options.timeoutMs}ms passed`));
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } catch (error) {
    if (!controller.signal.aborted && passThrough(error)) throw error;
    throw toDockerError(error, {
      host: options.host,
      action,
      timeoutMs: options.timeoutMs,
      timedOut: controller.signal.aborted,
    });
  } finally {
    clearTimeout(timer);
  }
}
