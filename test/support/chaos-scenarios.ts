// The chaos scenarios. Each asks for work the way people in the channel would, injects its
// fault at an instant drawn from the iteration's seed, and records in the tally what every
// request must end as; checkIteration then holds the world to it.
import {
  ChaosViolation,
  everyRequestFinishes,
  noShownVoteLost,
  storedRequest,
} from './chaos-checks.js';
import { killRedisAt, killRedisFor, killWorkersAt, PHASES } from './chaos-faults.js';
import { FINISH_BOUND_MS, type Tally } from './chaos-iteration.js';
import {
  cardId,
  planChange,
  planStopAll,
  type ChaosOperation,
  type PlannedChange,
} from './chaos-operations.js';
import { aofLossEnabled, type Rng } from './chaos-seed.js';
import { CHAOS_SERVICES, type ChaosWorld } from './chaos-world.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Fault = (id: string) => Promise<void>;
type Work = ChaosOperation | 'all';
const SINGLE: readonly ChaosOperation[] = ['restart', 'scale', 'rollback'];

/** Asks for a change and returns its request id; a refusal here is a failure of the run. */
async function ask(world: ChaosWorld, requester: string, command: string): Promise<string> {
  const reply = await world.say(requester, command);
  const id = cardId(reply);
  if (id === undefined) throw new Error(`no approval card for ${command}: ${reply.title}`);
  return id;
}

/**
 * After a fault, what a person looking at the card does: while the request is still waiting
 * for approval, the approvers whose votes the store no longer holds click again (once the card
 * has had its moment to show that their vote is gone).
 */
async function clickAgainWhilePending(world: ChaosWorld, id: string, approvers: readonly string[]) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const request = await storedRequest(world, id);
    if (request?.state !== 'pending') return;
    await noShownVoteLost(world, id, 5000);
    const voted = new Set(request.approvals.map((v) => v.person));
    for (const person of approvers.filter((p) => !voted.has(p)))
      await world.say(person, `/tas approve ${id}`);
    await sleep(1000);
  }
}

/** Asks, approves (every approver at the same instant) with `fault` running, waits for the end. */
async function approved(world: ChaosWorld, tally: Tally, change: PlannedChange, fault?: Fault) {
  const id = await ask(world, 'alice', change.command);
  tally.requests.push({ id, ends: ['succeeded'] });
  tally.applied.push(change);
  const faulted = fault?.(id) ?? Promise.resolve();
  await Promise.all(change.approvers.map((p) => world.say(p, `/tas approve ${id}`)));
  await faulted;
  await clickAgainWhilePending(world, id, change.approvers);
  await everyRequestFinishes(world, [id], FINISH_BOUND_MS);
}

/** One piece of work, faulted: a change to one service, or stop all then start all. */
async function work(world: ChaosWorld, rng: Rng, tally: Tally, kind: Work, fault: Fault) {
  if (kind === 'all') {
    const { stop, start } = await planStopAll(world, CHAOS_SERVICES);
    const faultStop = rng.next() < 0.5;
    await approved(world, tally, stop, faultStop ? fault : undefined);
    await approved(world, tally, start, faultStop ? undefined : fault);
    return;
  }
  const change = await planChange(world, rng, kind, rng.pick(CHAOS_SERVICES));
  await approved(world, tally, change, fault);
}

const anyWork = (rng: Rng): Work => rng.pick<Work>([...SINGLE, 'all']);

/**
 * With TAS_CHAOS_AOF_LOSS=1, half the Redis kills are a host crash (up to 1 s of the AOF lost),
 * the rest a process crash (nothing lost). Drawn either way, so a seed replays the same run.
 */
function lossOf(rng: Rng): number {
  const drawn = rng.next() < 0.5 ? 0 : rng.int(20, 1000);
  return aofLossEnabled() ? drawn : 0;
}

export interface Scenario {
  readonly name: string;
  run(world: ChaosWorld, rng: Rng, tally: Tally): Promise<void>;
}

const workerKill: Scenario = {
  name: 'worker SIGKILL at a random phase',
  async run(world, rng, tally) {
    const phase = rng.pick(PHASES);
    await work(world, rng, tally, anyWork(rng), (id) => killWorkersAt(world, rng, id, phase));
  },
};

const redisDuringVotes: Scenario = {
  name: 'Redis SIGKILL while votes are cast',
  async run(world, rng, tally) {
    // Not scale: its card expires in seconds, and the approvers click again after the restart.
    const kind = rng.pick<Work>(['restart', 'rollback', 'all']);
    // A vote is answered within a few milliseconds: the kill lands before, during or just after.
    const delay = rng.int(0, 12);
    const down = rng.int(100, 1200);
    const upToMs = lossOf(rng);
    await work(world, rng, tally, kind, () =>
      killRedisFor(world, down, delay, { upToMs, storedAt: Date.now() }),
    );
  },
};

const redisDuringExecution: Scenario = {
  name: 'Redis SIGKILL during execution',
  async run(world, rng, tally) {
    const phase = rng.pick(PHASES);
    const upToMs = lossOf(rng);
    await work(world, rng, tally, anyWork(rng), (id) =>
      killRedisAt(world, rng, id, phase, { upToMs, storedAt: Date.now() }),
    );
  },
};

const crossClick: Scenario = {
  name: 'two approvers click at the same instant (approvals: 1)',
  async run(world, rng, tally) {
    const change = await planChange(world, rng, rng.pick(SINGLE), rng.pick(CHAOS_SERVICES));
    await approved(world, tally, { ...change, approvers: ['dave', 'erin'] });
  },
};

const doubleClick: Scenario = {
  name: 'one approver clicks twice at the same instant (approvals: 2), then it is rejected',
  async run(world, rng, tally) {
    const service = rng.pick(CHAOS_SERVICES);
    const id = await ask(world, 'alice', `/tas stop ${service}`);
    tally.requests.push({ id, ends: ['rejected'] });
    await Promise.all([1, 2].map(() => world.say('dave', `/tas approve ${id}`)));
    const request = await storedRequest(world, id);
    if (request?.state !== 'pending' || request.approvals.length !== 1)
      throw new ChaosViolation(
        'a double click counts once',
        `${id}: ${request?.state ?? 'not stored'} with votes [${request?.approvals.map((v) => v.person).join(', ')}]`,
      );
    await world.say('erin', `/tas reject ${id} not now`);
  },
};

const twoRequests: Scenario = {
  name: 'two requests for one service at the same instant',
  async run(world, rng, tally) {
    const service = rng.pick(CHAOS_SERVICES);
    const changes = await Promise.all(
      ['alice', 'bob'].map(() => planChange(world, rng, rng.pick(SINGLE), service)),
    );
    const replies = await Promise.all(
      ['alice', 'bob'].map((person, i) => world.say(person, changes[i]?.command ?? '')),
    );
    const ids = replies.map(cardId);
    const cards = ids.filter((id): id is string => id !== undefined);
    for (const [i, id] of ids.entries()) {
      const change = changes[i];
      if (id === undefined || change === undefined) continue;
      tally.requests.push({ id, ends: ['succeeded'] });
      tally.applied.push(change);
    }
    await Promise.all(cards.map((id) => world.say('dave', `/tas approve ${id}`)));
    await everyRequestFinishes(world, cards, FINISH_BOUND_MS);
    if (cards.length > 1)
      throw new ChaosViolation(`one service, one open request (${service})`, cards.join(', '));
    if (cards.length === 0) throw new Error('neither request got a card');
  },
};

const expired: Scenario = {
  name: 'an approval after the card expired',
  async run(world, rng, tally) {
    const service = rng.pick(CHAOS_SERVICES);
    const change = await planChange(world, rng, 'scale', service);
    const id = await ask(world, 'alice', change.command);
    tally.requests.push({ id, ends: ['expired'] });
    const request = await storedRequest(world, id);
    await sleep(Math.max(0, Date.parse(request?.expiresAt ?? '') - Date.now()) + rng.int(200, 800));
    await world.say('dave', `/tas approve ${id}`);
  },
};

const approveRejectRace: Scenario = {
  name: 'an approval and a rejection at the same instant',
  async run(world, rng, tally) {
    const change = await planChange(world, rng, rng.pick(SINGLE), rng.pick(CHAOS_SERVICES));
    const id = await ask(world, 'alice', change.command);
    const clicks = [`dave:/tas approve ${id}`, `erin:/tas reject ${id} no`];
    if (rng.next() < 0.5) clicks.reverse();
    await Promise.all(
      clicks.map((c) => world.say(c.split(':')[0] ?? '', c.slice(c.indexOf(':') + 1))),
    );
    const finished = await everyRequestFinishes(world, [id], FINISH_BOUND_MS);
    // Either may win; what the store says decides what the Engine must show.
    const won = finished.get(id)?.state === 'rejected' ? 'rejected' : 'succeeded';
    tally.requests.push({ id, ends: [won] });
    if (won === 'succeeded') tally.applied.push(change);
  },
};

/** In the order iterations take them: 8 scenarios, so 24 iterations run each three times. */
export const SCENARIOS: readonly Scenario[] = [
  workerKill,
  redisDuringVotes,
  crossClick,
  redisDuringExecution,
  doubleClick,
  twoRequests,
  expired,
  approveRejectRace,
];
