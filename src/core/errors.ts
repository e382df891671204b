/**
 * Errors with stable codes. Only a UserError reaches chat verbatim; anything else is answered
 * with a generic message and a correlation id, and its details go to the log.
 */
export type UserErrorCode =
  /** The command is malformed: a missing or extra argument, a bad flag value. */
  | 'USAGE'
  | 'UNKNOWN_COMMAND'
  | 'UNKNOWN_ENVIRONMENT'
  /** No environment named and none follows from the channel. */
  | 'NO_ENVIRONMENT'
  | 'UNKNOWN_SERVICE'
  /** The chat user is not a person of the config. */
  | 'UNKNOWN_PERSON'
  /** The person's roles lack the permission (or the break-glass right, or the right to cancel). */
  | 'FORBIDDEN'
  /** The environment's config has no policy for this operation: nobody may ask for it. */
  | 'NO_POLICY'
  /** The service is claimed by another open request: one operation at a time per service. */
  | 'BUSY'
  /** The operation's budget per service (at most N in a window) is spent. */
  | 'BUDGET_SPENT'
  /** A vote that cannot count: the requester approving, or a person outside the approver roles. */
  | 'VOTE_REFUSED'
  /** The request is no longer open to votes or cancelling (decided, expired, running, done). */
  | 'NOT_PENDING'
  /** No such request id. */
  | 'NOT_FOUND'
  /** The change is already the service's state (every service stopped, the same replica count). */
  | 'NOTHING_TO_DO'
  /** The platform or the service cannot make this change (Compose cannot scale). */
  | 'NOT_SUPPORTED'
  /** The new image's repository is not among those the environment allows. */
  | 'IMAGE_NOT_ALLOWED';

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: UserErrorCode;
  /** Optional extra lines shown under the message (usage, suggestions). */
  readonly details: readonly string[];

  constructor(code: UserErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/**
 * A dependency (Docker, Redis, a chat API) could not be reached; the user is told which. Its
 * code is `DEPENDENCY_UNAVAILABLE` whichever it was: `dependency` says which.
 */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';
  readonly dependency: 'docker' | 'redis' | 'chat' | 'ecs';
  readonly code = 'DEPENDENCY_UNAVAILABLE';

  constructor(dependency: DependencyError['dependency'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.dependency = dependency;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/**
 * A job failure that retrying cannot fix (the service is gone, the Engine refused the spec):
 * the queue maps it to "do not retry". Anything else thrown from a job is retried with backoff.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
  readonly code = 'PERMANENT_JOB_FAILURE';
}

/** The Engine answered "update out of sequence" twice: someone else is changing the service. */
export class PlatformConflictError extends Error {
  override readonly name = 'PlatformConflictError';
  readonly code = 'PLATFORM_CONFLICT';
}
