/**
 * Errors with stable codes. Only a UserError reaches chat verbatim; anything else is answered
 * with a generic message and a correlation id, and its details go to the log.
 */
export type UserErrorCode =
  | 'USAGE'
  | 'UNKNOWN_COMMAND'
  | 'UNKNOWN_ENVIRONMENT'
  | 'NO_ENVIRONMENT'
  | 'UNKNOWN_SERVICE'
  | 'FORBIDDEN'
  | 'UNKNOWN_PERSON'
  | 'PLATFORM_UNREACHABLE'
  | 'NOT_SUPPORTED'
  | 'INVALID_PATTERN';

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

/** A dependency (Docker, Redis, a chat API) could not be reached; the user is told which. */
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
