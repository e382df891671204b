// The operations the chaos suite asks for, each with what the Engine must show afterwards.
import type { Reply } from '../../src/core/reply.js';
import type { Rng } from './chaos-seed.js';
import { serviceFacts, type ServiceFacts } from './chaos-engine.js';
import type { ChaosService, ChaosWorld } from './chaos-world.js';

export type ChaosOperation = 'restart' | 'scale' | 'rollback';

export interface PlannedChange {
  readonly command: string;
  readonly services: readonly ChaosService[];
  /** Who must approve: `stop` needs two approvers, the rest one. */
  readonly approvers: readonly string[];
  /** What each service's spec says once the change is applied. */
  readonly final: ReadonlyMap<ChaosService, Partial<ServiceFacts>>;
}

interface PreviousImage {
  PreviousSpec?: { TaskTemplate: { ContainerSpec: { Image: string } } };
}

/** One change to one service, its target computed from what the Engine shows now. */
export async function planChange(
  world: ChaosWorld,
  rng: Rng,
  operation: ChaosOperation,
  service: ChaosService,
): Promise<PlannedChange> {
  const now = await serviceFacts(world, service);
  const one = (command: string, final: Partial<ServiceFacts>): PlannedChange => ({
    command,
    services: [service],
    approvers: ['dave'],
    final: new Map([[service, final]]),
  });
  if (operation === 'restart')
    return one(`/tas restart ${service}`, { forceUpdate: now.forceUpdate + 1 });
  if (operation === 'scale') {
    const replicas = now.replicas === 1 ? 2 : 1;
    return one(`/tas scale ${service} ${replicas}`, { replicas });
  }
  const tag = now.tag === '1' ? '2' : '1';
  const info = (await world.docker
    .getService(world.serviceName(service))
    .inspect()) as PreviousImage;
  const previous = info.PreviousSpec?.TaskTemplate.ContainerSpec.Image ?? '';
  // Without a tag the bot goes back to the previous spec's image: only when that is the other tag.
  const tagless = previous.includes(`tas-fixture:${tag}`) && rng.next() < 0.5;
  return one(`/tas rollback ${service}${tagless ? '' : ` ${tag}`}`, { tag });
}

/** `stop all` (two approvers) then `start all`, which restores each recorded replica count. */
export async function planStopAll(world: ChaosWorld, services: readonly ChaosService[]) {
  const replicas = await Promise.all(
    services.map(async (s) => (await serviceFacts(world, s)).replicas),
  );
  const stop: PlannedChange = {
    command: '/tas stop all',
    services,
    approvers: ['dave', 'erin'],
    final: new Map(services.map((s) => [s, { replicas: 0 }])),
  };
  const start: PlannedChange = {
    command: '/tas start all',
    services,
    approvers: ['dave'],
    final: new Map(services.map((s, i) => [s, { replicas: replicas[i] ?? 1 }])),
  };
  return { stop, start };
}

/** The request id on an approval card, or undefined when the bot refused (Busy, …). */
export const cardId = (reply: Reply): string | undefined => reply.card?.requestId;
