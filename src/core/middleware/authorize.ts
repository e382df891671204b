import type { Directory } from '../directory.js';
import type { Middleware } from '../dispatch-context.js';
import { UserError } from '../errors.js';

/** Deny by default: a command runs only if the config grants its permission in that environment. */
export function authorize(directory: Directory): Middleware {
  return (context, next) => {
    const { command, identity, environment } = context;
    if (command === undefined || identity === undefined) {
      throw new Error('authorize runs after identify and resolveCommand');
    }
    if (command.permission === 'public' || environment === undefined) return next();
    if (directory.allows(identity, environment, command.permission)) return next();
    const roles = directory.rolesWith(environment, command.permission);
    throw new UserError(
      'FORBIDDEN',
      `You may not ${command.permission === 'read' ? 'read' : command.permission} in \`${environment}\`.`,
      [
        roles.length
          ? `Allowed roles: ${roles.join(', ')}.`
          : 'Nobody is granted that here; the config decides.',
      ],
    );
  };
}
