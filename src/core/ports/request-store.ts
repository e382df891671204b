import type { OperationRequest } from '../requests/operation-request.js';

/** One service claimed by one request. */
export interface ServiceClaim {
  readonly environment: string;
  readonly service: string;
  readonly holder: string;
}

/**
 * Durable requests and votes (Redis with AOF in production). `update` is atomic per request:
 * two approvers clicking at once, or a vote racing the expiry, never lose a write.
 * Deliberately left out: deletion (finished requests expire from the store after a retention
 * period; the audit trail keeps the history).
 */
export interface RequestStore {
  /** Stores a request without claiming anything; a new request is stored by `createClaimed`. */
  create(request: OperationRequest): Promise<void>;
  get(id: string): Promise<OperationRequest | undefined>;
  /**
   * Reads, applies `change` and writes back only if nobody wrote in between (retrying a few
   * times). `change` returning undefined leaves the request as it is. Resolves with what is
   * stored afterwards, or undefined when there is no such request. The write that finishes a
   * request also frees the services it claimed.
   */
  update<T>(
    id: string,
    change: (current: OperationRequest) => { request: OperationRequest; result: T } | undefined,
  ): Promise<{ request: OperationRequest; result: T | undefined } | undefined>;
  /** Requests not yet finished, newest first. */
  open(environment?: string): Promise<OperationRequest[]>;
  /**
   * Stores a new request and claims every service its steps touch, in one atomic step: one
   * operation at a time per service. When another open request holds one of them, nothing is
   * stored and nothing claimed, and the answer names that service and its holder. A claim lives
   * exactly as long as its request is open: `update` frees it in the same write that finishes
   * the request, and it lapses after `claimMs` even if that write never comes (a request no
   * worker runs any more), so it cannot block the service for good. A holder whose request is
   * finished or gone never blocks.
   */
  createClaimed(
    request: OperationRequest,
    claimMs: number,
  ): Promise<{ readonly service: string; readonly holder: string } | undefined>;
  /** The request holding the service's claim, if any (what a Busy answer names). */
  claimHolder(environment: string, service: string): Promise<string | undefined>;
  /** Every claim taken and not lapsed, for the reconciler to find those outliving their request. */
  claims(): Promise<readonly ServiceClaim[]>;
  /** Drops the service's claim if `holder` still holds it (a claim outliving its request). */
  releaseClaim(environment: string, service: string, holder: string): Promise<void>;
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
