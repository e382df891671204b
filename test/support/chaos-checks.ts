// The promises the chaos suite holds the bot to, one named function each: a failure names the
// promise that broke and what the Engine, the store and the card showed.
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import {
  isFinished,
  type OperationRequest,
  type RequestState,
} from '../../src/core/requests/operation-request.js';
import { serviceFacts, specWrites, type ServiceFacts } from './chaos-engine.js';
import type { ChaosWorld } from './chaos-world.js';

/** A broken promise: `promise` is the sentence that no longer holds. */
export class ChaosViolation extends Error {
  readonly promise: string;
  constructor(promise: string, detail: string) {
    super(`broken promise: ${promise}\n${detail}`);
    this.name = 'ChaosViolation';
    this.promise = promise;
  }
}

/** The store's view of a request; Redis may be restarting, so a failed read is retried. */
export async function storedRequest(
  world: ChaosWorld,
  id: string,
): Promise<OperationRequest | undefined> {
  const store = world.core.operations?.store;
  if (store === undefined) throw new Error('the chaos world has Redis');
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await store.get(id);
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Every request reaches a terminal state within `boundMs`; resolves with the final states. */
export async function everyRequestFinishes(
  world: ChaosWorld,
  ids: readonly string[],
  boundMs: number,
): Promise<Map<string, OperationRequest>> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const requests = await Promise.all(ids.map((id) => storedRequest(world, id)));
    const finished = new Map<string, OperationRequest>();
    requests.forEach((r, i) => r !== undefined && isFinished(r) && finished.set(ids[i] ?? '', r));
    if (finished.size === ids.length) return finished;
    if (Date.now() > deadline) {
      const states = ids.map((id, i) => `${id}: ${describe(requests[i])}`).join('\n');
      throw new ChaosViolation(
        `every request reaches a terminal state within ${boundMs / 1000} s`,
        states,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const describe = (r: OperationRequest | undefined): string =>
  r === undefined
    ? 'not stored'
    : `${r.state}, votes [${r.approvals.map((v) => v.person).join(', ')}], steps [${r.steps
        .map((s) => `${s.service}:${s.state}`)
        .join(', ')}]`;

/** A request the scenario approved ends succeeded; one it rejected or let expire ends so. */
export function endsAs(request: OperationRequest, expected: readonly RequestState[]): void {
  if (expected.includes(request.state)) return;
  throw new ChaosViolation(
    expected.includes('succeeded')
      ? 'an approved operation is carried out and verified'
      : `a request that was not approved ends ${expected.join(' or ')}`,
    `${request.id}: ${describe(request)}; outcome: ${request.outcome?.summary ?? 'none'}`,
  );
}

export interface EngineExpectation {
  readonly service: string;
  /** Spec writes the approved requests account for: 1 each, 0 for the others. */
  readonly writes: number;
  /** What the spec must say afterwards. */
  readonly final: Partial<ServiceFacts>;
}

/** Each approved change applied exactly once, each other one never: counted by the Engine. */
export async function engineShowsEachChangeOnce(
  world: ChaosWorld,
  expected: EngineExpectation,
  sinceMs: number,
): Promise<void> {
  const writes = specWrites(world, expected.service, sinceMs);
  const facts = await serviceFacts(world, expected.service);
  const wrong = Object.entries(expected.final).filter(
    ([key, value]) => facts[key as keyof ServiceFacts] !== value,
  );
  if (writes.length === expected.writes && wrong.length === 0) return;
  throw new ChaosViolation(
    expected.writes === 0
      ? `a change nobody approved is never applied (${expected.service})`
      : `each approved change is applied exactly once (${expected.service})`,
    `expected ${expected.writes} spec write(s) and ${JSON.stringify(expected.final)}; ` +
      `the Engine shows ${writes.length}:\n  ${writes.join('\n  ')}\nand now ${JSON.stringify(facts)}`,
  );
}

/** No per-service claim is held by a request that has finished (or that is not stored). */
export async function noClaimOutlivesItsRequest(world: ChaosWorld): Promise<void> {
  const keys = await world.inspector.keys(`${world.prefix}:claim:*`);
  const stale: string[] = [];
  for (const key of keys) {
    const holder = await world.inspector.get(key);
    if (holder === null) continue;
    const request = await storedRequest(world, holder);
    if (request === undefined || isFinished(request))
      stale.push(`${key} held by ${holder} (${describe(request)})`);
  }
  if (stale.length > 0) throw new ChaosViolation('no claim outlives its request', stale.join('\n'));
}

/** The audit trail's hash chain verifies end to end. */
export async function auditChainVerifies(world: ChaosWorld): Promise<void> {
  const audit = world.core.audit;
  if (audit === undefined) throw new Error('the chaos world has an audit log');
  const verdict = await verifyAuditLog(audit);
  if (!verdict.ok)
    throw new ChaosViolation('the audit chain verifies', JSON.stringify(verdict, undefined, 1));
}

/** The last card posted or updated for the request, as the channel sees it now. */
export function latestCard(world: ChaosWorld, id: string): OperationRequest | undefined {
  for (let i = world.delivered.length - 1; i >= 0; i -= 1) {
    const data = world.delivered[i]?.reply.data as { request?: OperationRequest } | undefined;
    if (data?.request?.id === id && world.delivered[i]?.reply.title.endsWith(`[${id}]`))
      return data.request;
  }
  return undefined;
}

/**
 * Every vote the card shows is one the store still holds. A card re-rendered from the store
 * after a Redis restart may take a moment to arrive: the card has `graceMs` to catch up.
 */
export async function noShownVoteLost(world: ChaosWorld, id: string, graceMs = 0): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const card = latestCard(world, id);
    const stored = await storedRequest(world, id);
    const held = new Set(stored?.approvals.map((v) => v.person) ?? []);
    const lost = (card?.approvals ?? []).filter((v) => !held.has(v.person));
    if (lost.length === 0) return;
    if (Date.now() > deadline) {
      throw new ChaosViolation(
        'no vote is lost while the card still shows it',
        `${id}: the card shows [${card?.approvals.map((v) => v.person).join(', ')}] (${card?.state}); ` +
          `the store holds ${describe(stored)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A double click counts once: the store holds each person's vote at most once. */
export function eachPersonVotesOnce(request: OperationRequest): void {
  const persons = request.approvals.map((v) => v.person);
  if (new Set(persons).size === persons.length) return;
  throw new ChaosViolation('a double click counts once', `${request.id}: ${describe(request)}`);
}

/** Two requests for one service at the same instant: at most one gets a card. */
export function oneOpenRequestPerService(service: string, cards: readonly string[]): void {
  if (cards.length <= 1) return;
  throw new ChaosViolation(
    `one service, one open request (${service})`,
    `both got approval cards: ${cards.join(', ')}`,
  );
}
