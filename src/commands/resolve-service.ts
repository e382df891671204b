import { UserError } from '../core/errors.js';
import type { ContainerPlatform, ServiceState } from '../core/ports/container-platform.js';
import { didYouMean } from '../lib/did-you-mean.js';

/**
 * Exact names only, from the live platform: `backend` or `prod_backend`. Anything else gets a
 * "did you mean" built from what is really deployed, so a typo can never hit the wrong service.
 * With `scope` (the environment's `services`), a deployed service outside it is refused too:
 * privileged operations act only on what the config names, never on a job or a service the
 * operator left out on purpose.
 */
export async function resolveService(
  platform: ContainerPlatform,
  environment: string,
  asked: string,
  scope?: readonly string[],
): Promise<ServiceState> {
  const services = await platform.listServices();
  const found = services.find((s) => s.name === asked || s.fullName === asked);
  if (found !== undefined && (scope === undefined || scope.includes(found.name))) return found;
  if (found !== undefined && scope !== undefined) {
    throw new UserError(
      'UNKNOWN_SERVICE',
      `\`${asked}\` is not a service of \`${environment}\`.${guessText(asked, scope)}`,
      [`Services of \`${environment}\`: ${scope.join(', ')}.`],
    );
  }
  const names = scope ?? services.map((s) => s.name);
  throw new UserError(
    'UNKNOWN_SERVICE',
    `There is no service \`${asked}\` in \`${environment}\`.${guessText(asked, names)}`,
    [names.length ? `Services: ${names.join(', ')}.` : 'The stack has no services deployed.'],
  );
}

function guessText(asked: string, names: readonly string[]): string {
  const guesses = didYouMean(asked, names);
  return guesses.length ? ` Did you mean ${guesses.map((g) => `\`${g}\``).join(' or ')}?` : '';
}
