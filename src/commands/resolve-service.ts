import type { ContainerPlatform, ServiceState } from '../core/ports/container-platform.js';
import { findService } from '../core/requests/find-service.js';

/**
 * Exact names only, from the live platform: `backend` or `prod_backend`. Anything else gets a
 * "did you mean" built from what is really deployed, so a typo can never hit the wrong service.
 * With `scope` (the environment's `services`), a deployed service outside it is refused too.
 */
export async function resolveService(
  platform: ContainerPlatform,
  environment: string,
  asked: string,
  scope?: readonly string[],
): Promise<ServiceState> {
  const found = findService(await platform.listServices(), environment, asked, scope);
  if (!found.ok) throw found.error;
  return found.value;
}
