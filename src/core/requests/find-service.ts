import { didYouMean } from '../../lib/did-you-mean.js';
import { UserError } from '../errors.js';
import type { ServiceState } from '../ports/container-platform.js';
import { err, ok, type Result } from '../result.js';

/**
 * The service a person named, in a listing already taken: exact names only (`backend` or
 * `prod_backend`), anything else answered with a "did you mean" built from what is really
 * deployed, so a typo can never hit the wrong service. With `scope` (the environment's
 * `services`), a deployed service outside it is refused too: privileged operations act only on
 * what the config names, never on a job or a service the operator left out on purpose.
 */
export function findService(
  services: readonly ServiceState[],
  environment: string,
  asked: string,
  scope?: readonly string[],
): Result<ServiceState, UserError> {
  const found = services.find((s) => s.name === asked || s.fullName === asked);
  if (found !== undefined && (scope === undefined || scope.includes(found.name))) return ok(found);
  if (found !== undefined && scope !== undefined) {
    return err(
      new UserError(
        'UNKNOWN_SERVICE',
        `\`${asked}\` is not a service of \`${environment}\`.${guessText(asked, scope)}`,
        [`Services of \`${environment}\`: ${scope.join(', ')}.`],
      ),
    );
  }
  const names = scope ?? services.map((s) => s.name);
  return err(
    new UserError(
      'UNKNOWN_SERVICE',
      `There is no service \`${asked}\` in \`${environment}\`.${guessText(asked, names)}`,
      [names.length ? `Services: ${names.join(', ')}.` : 'The stack has no services deployed.'],
    ),
  );
}

function guessText(asked: string, names: readonly string[]): string {
  const guesses = didYouMean(asked, names);
  return guesses.length ? ` Did you mean ${guesses.map((g) => `\`${g}\``).join(' or ')}?` : '';
}
