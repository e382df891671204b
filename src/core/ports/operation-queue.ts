/**
 * The queue behind approved operations (BullMQ in production). Job id = request id, so a
 * repeated click, a retried delivery or a second approval never enqueues an execution twice.
 * Deliberately left out: priorities and job inspection; the request store is the source of truth.
 */
export interface OperationQueue {
  execute(requestId: string): Promise<void>;
  /** A delayed job that expires the request at `at` if nobody has decided by then. */
  scheduleExpiry(requestId: string, at: Date): Promise<void>;
}
