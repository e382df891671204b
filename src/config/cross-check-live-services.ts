import type { Config } from './schema.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';

/**
 * `check` compares each Docker environment's `services` with its live stack, as warnings: a
 * listed service the stack does not hold is a typo or a retired service, and status would show
 * it as "not deployed". `check` often runs where the Engine is not reachable (CI, a laptop), so
 * an Engine that does not answer within `timeoutMs` is said once per environment, never an
 * error. ECS environments are left out: their listing is the configured services themselves.
 */
export async function checkLiveServices(
  config: Config,
  platformFor: (environment: string) => ContainerPlatform,
  timeoutMs: number,
): Promise<string[]> {
  const docker = Object.entries(config.environments).filter(([, env]) => env.platform !== 'ecs');
  const lines = await Promise.all(
    docker.map(async ([name, env]) => {
      const listed = await withTimeout(platformFor(name).listServices(), timeoutMs);
      if (!listed.ok)
        return [`· ${name}: could not compare services with stack ${env.stack}: ${listed.error}`];
      const found = new Set(listed.value.map((service) => service.name));
      return env.services
        .filter((service) => !found.has(service))
        .map(
          (service) =>
            `⚠ environments.${name}.services: "${service}" is listed but not found in stack ${env.stack}`,
        );
    }),
  );
  return lines.flat();
}

async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ ok: false; error: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, error: `no answer within ${timeoutMs}ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      work.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({
          ok: false as const,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
