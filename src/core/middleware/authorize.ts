import type { Permission } from '../command.js';
import type { Directory } from '../directory.js';
import type { DispatchContext, Middleware } from '../dispatch-context.js';
import { UserError } from '../errors.js';
import { mayRequest, type RequestPolicyLookup } from '../requests/may-request.js';
import type { OperationKind } from '../requests/operation-request.js';

const OPERATIONS: ReadonlySet<Permission> = new Set([
  'restart',
  'scale',
  'stop',
  'start',
  'rollback',
]);

const isOperation = (permission: Permission): permission is OperationKind =>
  OPERATIONS.has(permission);

/**
 * Deny by default: a command runs only if the config grants its permission in that environment.
 * The privileged operations are decided by `mayRequest` (the same call the request path makes),
 * so `--break-glass` counts only the break-glass roles here too.
 */
export function authorize(directory: Directory, requestPolicy: RequestPolicyLookup): Middleware {
  return (context, next) => {
    const { command, identity, environment } = context;
    if (command === undefined || identity === undefined) {
      throw new Error('authorize runs after identify and resolveCommand');
    }
    const { permission } = command;
    if (permission === 'public' || environment === undefined) return next();
    if (isOperation(permission)) {
      const decision = mayRequest(requestPolicy(environment, permission), {
        environment,
        operation: permission,
        identity,
        breakGlass: breakGlassAsked(context),
      });
      if (!decision.ok) throw decision.error;
      return next();
    }
    if (directory.allows(identity, environment, permission)) return next();
    const roles = directory.rolesWith(environment, permission);
    throw new UserError(
      'FORBIDDEN',
      `You may not ${permission === 'read' ? 'read' : permission} in \`${environment}\`.`,
      [
        roles.length
          ? `Allowed roles: ${roles.join(', ')}.`
          : 'Nobody is granted that here; the config decides.',
      ],
    );
  };
}

/** `--break-glass` with or without its reason: the reason itself is the command's to check. */
function breakGlassAsked(context: DispatchContext): boolean {
  return context.args?.flags['break-glass'] !== undefined;
}
