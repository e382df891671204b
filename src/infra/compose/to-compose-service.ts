import { createHash } from 'node:crypto';
import type { ServiceState } from '../../core/ports/container-platform.js';
import { splitImage } from '../docker/split-image.js';
import { newestFirst } from '../docker/to-task-summary.js';
import { PREVIOUS_IMAGE_LABEL } from './compose-labels.js';
import type { EngineContainer } from './engine-container.js';
import { toContainerTask } from './to-container-task.js';

/**
 * One Compose service (its containers, inspected) → the port's state. Compose has no desired
 * count of its own: every container of the service is a replica that should run, so `desired`
 * is the number of containers and `running` those running (and healthy, where a healthcheck
 * says so). One-shot services are `job`s, which should have exited 0.
 *
 * `forceUpdate` is the earliest start among the containers, in ms: a restart of every replica
 * moves it forward, which is how the engine sees that a restart has happened. `fingerprint`
 * covers the image and the containers' identity, so a recreate by someone else is drift.
 */
export function toComposeService(
  project: string,
  name: string,
  containers: readonly EngineContainer[],
  oneShot: boolean,
): ServiceState {
  const tasks = containers.map(toContainerTask).sort(newestFirst);
  const newest = [...containers].sort((a, b) =>
    (b.Created ?? '').localeCompare(a.Created ?? ''),
  )[0];
  // While a recreate is under way (or was cut off by a crash), the image still to be
  // replaced: the service is on the new image only once every container is.
  const oldest = [...containers].sort((a, b) =>
    (a.Created ?? '').localeCompare(b.Created ?? ''),
  )[0];
  const imageOf = (c: EngineContainer | undefined) => c?.Config?.Image ?? c?.Image ?? '';
  const image = containers.every((c) => imageOf(c) === imageOf(newest))
    ? imageOf(newest)
    : imageOf(oldest);
  const previous = newest?.Config?.Labels?.[PREVIOUS_IMAGE_LABEL];
  const starts = tasks.map((task) => task.createdAt.getTime());
  const created = containers.map((c) => Date.parse(c.Created ?? '') || 0);
  return {
    id: `${project}-${name}`,
    name,
    fullName: `${project}-${name}`,
    ...splitImage(image),
    desired: containers.length,
    running: tasks.filter((task) => task.state === 'running').length,
    mode: oneShot ? 'job' : 'replicated',
    tasks,
    tty: containers.some((c) => c.Config?.Tty === true),
    // Compose has no spec version; the newest creation (in seconds) changes with every recreate.
    version: Math.floor(Math.max(0, ...created) / 1000),
    fingerprint: fingerprint(image, containers),
    forceUpdate: starts.length === 0 ? 0 : Math.min(...starts),
    ...(previous !== undefined && previous !== '' && { previous: splitImage(previous) }),
  };
}

function fingerprint(image: string, containers: readonly EngineContainer[]): string {
  const ids = containers.map((c) => c.Id ?? '').sort();
  return createHash('sha256')
    .update(JSON.stringify([image, ids]))
    .digest('hex')
    .slice(0, 16);
}
