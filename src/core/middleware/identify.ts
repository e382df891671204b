import type { Directory } from '../directory.js';
import type { Middleware } from '../dispatch-context.js';
import { UserError } from '../errors.js';

/** Maps the verified platform user id to a person from config; strangers get nothing. */
export function identify(directory: Directory): Middleware {
  return (context, next) => {
    const identity = directory.identify(context.event);
    if (identity === undefined) {
      const { platform, userId } = context.event;
      throw new UserError(
        'UNKNOWN_PERSON',
        `I don't know you: ${platform} user ${userId} is not in the config.`,
        [`Ask an admin to add your ${platform} id under \`people\` and give you a role.`],
      );
    }
    context.identity = identity;
    context.log = context.log.child({ person: identity.person });
    return next();
  };
}
