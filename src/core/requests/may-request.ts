import type { Identity } from '../directory.js';
import { UserError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import type { OperationKind } from './operation-request.js';

/** Who may ask for one operation in one environment: the two role lists of its policy. */
export interface RequestPolicy {
  readonly request: readonly string[];
  /** Roles that may skip the approval with a reason. */
  readonly breakGlass: readonly string[];
}

/** The request policy of an operation in an environment; undefined when the config has none. */
export type RequestPolicyLookup = (
  environment: string,
  operation: OperationKind,
) => RequestPolicy | undefined;

export interface RequestAsk {
  readonly environment: string;
  readonly operation: OperationKind;
  readonly identity: Identity;
  /** Asked with `--break-glass`: only the break-glass roles count then. */
  readonly breakGlass: boolean;
}

/**
 * The one answer to "may this person ask for this operation here": the authorize middleware
 * asks it before the command runs and the request path asks it again with the same inputs, so
 * the two can never disagree. Deny by default: no policy means nobody.
 */
export function mayRequest(
  policy: RequestPolicy | undefined,
  ask: RequestAsk,
): Result<void, UserError> {
  const { environment, operation, identity } = ask;
  if (policy === undefined) {
    return err(
      new UserError(
        'NO_POLICY',
        `Nobody may ${operation} in \`${environment}\`: the config has no policy for it.`,
      ),
    );
  }
  const holds = (roles: readonly string[]) => roles.some((role) => identity.roles.has(role));
  if (ask.breakGlass) {
    if (holds(policy.breakGlass)) return ok(undefined);
    return err(
      new UserError(
        'FORBIDDEN',
        `Break-glass ${operation} is not open to you in \`${environment}\`.`,
        [
          policy.breakGlass.length
            ? `Allowed roles: ${policy.breakGlass.join(', ')}.`
            : 'No role has break-glass here.',
        ],
      ),
    );
  }
  if (holds(policy.request)) return ok(undefined);
  return err(
    new UserError('FORBIDDEN', `You may not request ${operation} in \`${environment}\`.`, [
      `Allowed roles: ${policy.request.join(', ') || 'none'}.`,
    ]),
  );
}
