/**
 * The job's lock went to another worker (this one stalled past the lock, e.g. a blocked event
 * loop, and the stall check handed the job on): whatever this run would do next, the other run
 * does. Not a failure of the request: the worker neither retries nor gives up on it.
 */
export class JobLockLostError extends Error {
  override readonly name = 'JobLockLostError';
  readonly code = 'JOB_LOCK_LOST';
}
