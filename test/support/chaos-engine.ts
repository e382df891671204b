// Ground truth for the chaos suite, from the Engine and never from the bot: what a service's
// spec says now (ForceUpdate counter, replicas, image) and how many times its spec was changed
// in a window, counted from the Engine's own event stream (GET /events).
import type Docker from 'dockerode';
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

/**
 * Every service event of the world's stack, recorded live from the Engine's event stream
 * (GET /events, following). A `since`/`until` query afterwards is not enough: the Engine keeps
 * only its last 256 events, and on a busy daemon they roll over within seconds. A stream the
 * client or the Engine ends is followed again at once from its last event (duplicates dropped).
 */
export async function recordServiceEvents(docker: Docker, stack: string) {
  const events: EngineEvent[] = [];
  const seen = new Set<string>();
  const state = { closed: false, from: Date.now(), stream: undefined as Stream | undefined };
  const take = (line: string) => {
    const event = JSON.parse(line) as EngineEvent;
    const key = `${event.timeNano}|${JSON.stringify(event.Actor.Attributes)}|${event.Action}`;
    if (!(event.Actor.Attributes.name ?? '').startsWith(`${stack}_`) || seen.has(key)) return;
    seen.add(key);
    events.push(event);
    state.from = Math.max(state.from, Math.floor(event.timeNano / 1_000_000));
  };
  const follow = async (): Promise<void> => {
    const stream = (await docker.getEvents({
      since: ((state.from - 1000) / 1000).toFixed(3),
      filters: JSON.stringify({ type: ['service'] }),
    } as unknown as { since: number })) as Stream;
    state.stream = stream;
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      lines.filter((l) => l.trim() !== '').forEach(take);
    });
    let ended = false;
    const again = () => {
      if (ended) return;
      ended = true;
      stream.removeAllListeners();
      stream.on('error', () => undefined);
      retry();
    };
    for (const event of ['end', 'close', 'error']) stream.once(event, again);
  };
  // The client's request timeout ends a quiet stream; the Engine may drop it under load.
  const retry = (): void => {
    if (!state.closed) setTimeout(() => void follow().catch(retry), 50);
  };
  await follow();
  return {
    events,
    close: () => {
      state.closed = true;
      state.stream?.destroy();
    },
  };
}
type Stream = NodeJS.ReadableStream & { destroy(): void };
export type ServiceEvents = Awaited<ReturnType<typeof recordServiceEvents>>;

/** The spec writes of `service` since `sinceMs` (epoch ms), each as a short description. */
export function specWrites(world: ChaosWorld, service: string, sinceMs: number): string[] {
  const name = world.serviceName(service);
  return world.engineEvents.events
    .filter((event) => event.Actor.Attributes.name === name)
    .filter((event) => event.timeNano >= sinceMs * 1_000_000 && isSpecWrite(event))
    .map(
      (event) =>
        `${new Date(event.timeNano / 1_000_000).toISOString()} ${JSON.stringify(event.Actor.Attributes)}`,
    );
}
