// Ground truth for the chaos suite, from the Engine and never from the bot: what a service's
// spec says now (ForceUpdate counter, replicas, image) and how many times its spec was changed
// in a window, counted from the Engine's own event stream (GET /events with since/until).
import type { ChaosWorld } from './chaos-world.js';

export interface ServiceFacts {
  readonly forceUpdate: number;
  readonly replicas: number;
  readonly image: string;
  /** The tag of the image reference, digest and registry stripped: `1` or `2`. */
  readonly tag: string;
  readonly versionIndex: number;
}

export async function serviceFacts(world: ChaosWorld, service: string): Promise<ServiceFacts> {
  const info = (await world.docker.getService(world.serviceName(service)).inspect()) as {
    Version: { Index: number };
    Spec: {
      TaskTemplate: { ForceUpdate?: number; ContainerSpec: { Image: string } };
      Mode: { Replicated?: { Replicas?: number } };
    };
  };
  const image = info.Spec.TaskTemplate.ContainerSpec.Image;
  return {
    forceUpdate: info.Spec.TaskTemplate.ForceUpdate ?? 0,
    replicas: info.Spec.Mode.Replicated?.Replicas ?? 0,
    image,
    tag: /:([^:@/]+)(@|$)/.exec(image)?.[1] ?? 'latest',
    versionIndex: info.Version.Index,
  };
}

interface EngineEvent {
  readonly Action: string;
  readonly timeNano: number;
  readonly Actor: { readonly Attributes: Readonly<Record<string, string>> };
}

/**
 * The Engine reports every write of a service's spec as an `update` event; the ones it emits
 * for the progress of a rolling update carry `updatestate.*` attributes and are not writes —
 * except `rollback_started`, which is the server-side spec swap of `rollback=previous`.
 */
export function isSpecWrite(event: EngineEvent): boolean {
  if (event.Action !== 'update') return false;
  const state = event.Actor.Attributes['updatestate.new'];
  return state === undefined || state === 'rollback_started';
}

/** The spec writes of `service` since `sinceMs` (epoch ms), each as a short description. */
export async function specWrites(
  world: ChaosWorld,
  service: string,
  sinceMs: number,
): Promise<string[]> {
  const name = world.serviceName(service);
  const options = {
    // Fractional seconds are accepted; an `until` in the future would hold the stream open.
    since: (sinceMs / 1000).toFixed(3),
    until: (Date.now() / 1000).toFixed(3),
    filters: JSON.stringify({ type: ['service'], service: [name] }),
  };
  // The Engine takes fractional seconds; dockerode's type says number.
  const stream = (await world.docker.getEvents(
    options as unknown as { since: number },
  )) as unknown as AsyncIterable<Buffer>;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return (
    Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as EngineEvent)
      // The Engine's `service` filter also matches longer names (`x_backend` finds `x_backend-cron`).
      .filter((event) => event.Actor.Attributes.name === name)
      .filter((event) => event.timeNano >= sinceMs * 1_000_000 && isSpecWrite(event))
      .map(
        (event) =>
          `${new Date(event.timeNano / 1_000_000).toISOString()} ${JSON.stringify(event.Actor.Attributes)}`,
      )
  );
}
