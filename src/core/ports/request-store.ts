import type { OperationRequest } from '../requests/operation-request.js';

/**
 * Durable requests and votes (Redis with AOF in production). `update` is atomic per request:
 * two approvers clicking at once, or a vote racing the expiry, never lose a write.
 * Deliberately left out: deletion (finished requests expire from the store after a retention
 * period; the audit trail keeps the history).
 */
export interface RequestStore {
  create(request: OperationRequest): Promise<void>;
  get(id: string): Promise<OperationRequest | undefined>;
  /**
   * Reads, applies `change` and writes back only if nobody wrote in between (retrying a few
   * times). `change` returning undefined leaves the request as it is. Resolves with what is
   * stored afterwards, or undefined when there is no such request.
   */
  update<T>(
    id: string,
    change: (current: OperationRequest) => { request: OperationRequest; result: T } | undefined,
  ): Promise<{ request: OperationRequest; result: T | undefined } | undefined>;
  /** Requests not yet finished, newest first. */
  open(environment?: string): Promise<OperationRequest[]>;
  /**
   * Claims the service for one request: one operation at a time per service. Resolves with the
   * id of the request already holding it, or undefined when the claim succeeded (also when the
   * caller holds it already). A holder stops blocking once its request has finished, and any
   * claim lapses after a TTL longer than an operation may take. Requests are claimed before
   * they are stored, so a holder not stored yet blocks too, for a short grace.
   */
  claimService(
    environment: string,
    service: string,
    requestId: string,
  ): Promise<string | undefined>;
  releaseService(environment: string, service: string, requestId: string): Promise<void>;
  /** Records one execution and returns how many happened in the window, this one included. */
  countExecution(
    environment: string,
    service: string,
    operation: string,
    at: Date,
    windowMs: number,
    requestId: string,
  ): Promise<number>;
  /** Executions in the window without recording one (the budget check at request time). */
  executions(
    environment: string,
    service: string,
    operation: string,
    at: Date,
    windowMs: number,
  ): Promise<number>;
  /** Replica counts recorded by `stop`, restored by `start` (also after a bot restart). */
  saveReplicas(environment: string, service: string, replicas: number): Promise<void>;
  savedReplicas(environment: string, service: string): Promise<number | undefined>;
}
