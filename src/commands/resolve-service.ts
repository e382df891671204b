import { UserError } from '../core/errors.js';
import type { ContainerPlatform, ServiceState } from '../core/ports/container-platform.js';
import { didYouMean } from '../lib/did-you-mean.js';

/**
 * Exact names only, from the live platform: `backend` or `prod_backend`. Anything else gets a
 * "did you mean" built from what is really deployed, so a typo can never hit the wrong service.
 */
export async function resolveService(
  platform: ContainerPlatform,
  environment: string,
  asked: string,
): Promise<ServiceState> {
  const services = await platform.listServices();
  const found = services.find((s) => s.name === asked || s.fullName === asked);
  if (found !== undefined) return found;
  const names = services.map((s) => s.name);
  const guesses = didYouMean(asked, names);
  throw new UserError(
    'UNKNOWN_SERVICE',
    `There is no service \`${asked}\` in \`${environment}\`.${guesses.length ? ` Did you mean ${guesses.map((g) => `\`${g}\``).join(' or ')}?` : ''}`,
    [names.length ? `Services: ${names.join(', ')}.` : 'The stack has no services deployed.'],
  );
}
