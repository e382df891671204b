/** A request's execution job: live (waiting, delayed for a retry, or running), done, or gone. */
export type ExecutionJob =
  | { readonly state: 'live' | 'completed' | 'missing' }
  | { readonly state: 'failed'; readonly reason: string };

/**
 * The queue behind approved operations (BullMQ in production). Job id = request id, so a
 * repeated click, a retried delivery or a second approval never enqueues an execution twice.
 * Deliberately left out: priorities and listing jobs; the request store is the source of truth,
 * and a job's place is only read to be compared with it.
 */
export interface OperationQueue {
  /**
   * Queues the request's execution unless a job for it is waiting, delayed or running. A job
   * that already failed or completed is replaced, so a re-queue is never ignored because the
   * old job keeps the id.
   */
  execute(requestId: string): Promise<void>;
  /** Where the request's execution job is, for the reconciler to compare with the request. */
  executionJob(requestId: string): Promise<ExecutionJob>;
  /** A delayed job that expires the request at `at` if nobody has decided by then. */
  scheduleExpiry(requestId: string, at: Date): Promise<void>;
}
