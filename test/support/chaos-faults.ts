// The faults the chaos suite injects, each at an instant drawn from the iteration's seed: worker
// SIGKILLs at a phase of the lifecycle, Redis SIGKILLs (restarted on the same data directory).
import { FINISHED_STATES } from '../../src/core/requests/operation-request.js';
import { isSpecWrite } from './chaos-engine.js';
import type { Rng } from './chaos-seed.js';
import { storedRequest } from './chaos-checks.js';
import type { ChaosWorld } from './chaos-world.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where in the lifecycle a fault strikes. */
export type Phase = 'after-click' | 'applying' | 'applied' | 'engine-answer';
export const PHASES: readonly Phase[] = ['after-click', 'applying', 'applied', 'engine-answer'];

/**
 * Resolves when request `id` reaches `phase` (false when it finished first). `engine-answer`
 * is the Engine's own event for the spec write, which it emits as it answers the update: the
 * worker is between that answer and storing `applied`, or just past it.
 */
async function reached(world: ChaosWorld, rng: Rng, id: string, phase: Phase): Promise<boolean> {
  if (phase === 'after-click') {
    await sleep(rng.int(0, 3000));
    return true;
  }
  if (phase === 'engine-answer') return engineAnswered(world, 60_000);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const request = await storedRequest(world, id);
    if (request?.steps.some((s) => s.state === phase)) return true;
    if (request && FINISHED_STATES.has(request.state)) return false;
    await sleep(15);
  }
  return false;
}

/** The next spec write on any service of the world's stack, as the Engine's events report it. */
async function engineAnswered(world: ChaosWorld, timeoutMs: number): Promise<boolean> {
  const from = Date.now() * 1_000_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (world.engineEvents.events.some((e) => e.timeNano >= from && isSpecWrite(e))) return true;
    await sleep(5);
  }
  return false;
}

/**
 * SIGKILLs one or both workers when `id` reaches `phase`; replacements start soon after. At
 * `engine-answer` the worker's own Engine proxy kills it as the Engine accepts its update, so
 * it never hears the answer.
 */
export async function killWorkersAt(world: ChaosWorld, rng: Rng, id: string, phase: Phase) {
  const both = rng.next() < 0.4;
  const respawnAfter = rng.int(0, 1500);
  const before = world.workers.running.size;
  const hit =
    phase === 'engine-answer'
      ? await killedByProxy(world, id)
      : await reached(world, rng, id, phase);
  world.history.note(`phase ${phase} ${hit ? 'reached' : 'not reached (request finished)'}`);
  if (!hit) return;
  const left = [...world.workers.running.keys()];
  const victims =
    phase === 'engine-answer' ? left.slice(0, both ? 1 : 0) : left.slice(0, both ? 2 : 1);
  await Promise.all(victims.map((child) => world.workers.kill(child)));
  await sleep(respawnAfter);
  await ensureWorkers(world, before);
}

/** Arms every worker's proxy until one has killed its worker (false when `id` finished first). */
async function killedByProxy(world: ChaosWorld, id: string): Promise<boolean> {
  const before = world.workers.running.size;
  world.workers.armAll();
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (world.workers.running.size < before) return true;
      const request = await storedRequest(world, id);
      if (request && FINISHED_STATES.has(request.state)) return false;
      await sleep(15);
    }
    return false;
  } finally {
    world.workers.disarmAll();
  }
}

/**
 * How much of its AOF a killed Redis loses: nothing (a process crash: the kernel still has every
 * write), or up to the last second (a host crash under `appendfsync everysec`), but never the
 * request itself: `storedAt` is when it was known stored, and only later writes may go.
 */
export interface RedisLoss {
  readonly upToMs: number;
  readonly storedAt: number;
}

/** SIGKILLs Redis when `id` reaches `phase`, and starts it again on the same data. */
export async function killRedisAt(
  world: ChaosWorld,
  rng: Rng,
  id: string,
  phase: Phase,
  loss: RedisLoss,
) {
  const downFor = rng.int(100, 1500);
  const hit = await reached(world, rng, id, phase);
  world.history.note(`phase ${phase} ${hit ? 'reached' : 'not reached (request finished)'}`);
  if (!hit) return;
  await killRedisFor(world, downFor, 0, loss);
}

/** SIGKILLs Redis after `delayMs` (while votes are in flight), down for `downMs`. */
export async function killRedisFor(
  world: ChaosWorld,
  downMs: number,
  delayMs: number,
  loss: RedisLoss,
) {
  await sleep(delayMs);
  const lostMs = Math.min(loss.upToMs, Date.now() - loss.storedAt - 1);
  const bytes = await world.redis.kill(Math.max(0, lostMs));
  world.history.note(
    loss.upToMs === 0
      ? 'Redis SIGKILLed'
      : `Redis SIGKILLed, its AOF losing the last ${Math.max(0, lostMs)} ms (${bytes} bytes)`,
  );
  await sleep(downMs);
  await world.redis.restart();
  world.history.note('Redis started again on the same data');
}

/** Keeps `count` workers running (a previous iteration may have left fewer). */
export async function ensureWorkers(world: ChaosWorld, count: number): Promise<void> {
  while (world.workers.running.size < count) await world.workers.start();
}
