import type Docker from 'dockerode';
import type { ServiceState } from '../../core/ports/container-platform.js';
import { callDocker, type DockerCallOptions } from '../docker/call-docker.js';
import { statusCode } from '../docker/to-docker-error.js';
import {
  COMPOSE_ONEOFF_LABEL,
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  completedDependencies,
} from './compose-labels.js';
import type { EngineContainer } from './engine-container.js';
import { toComposeService } from './to-compose-service.js';

/** Where a Compose project lives and what the config says about it. */
export interface ComposeProject {
  readonly docker: Docker;
  /** The Compose project name (`com.docker.compose.project`). */
  readonly project: string;
  readonly call: DockerCallOptions;
  /** Configured one-shot services, besides those found from `depends_on` labels. */
  readonly oneShot: readonly string[];
}

/**
 * Every container of the project (running or not, `docker compose run` one-offs left out),
 * inspected, grouped by service. One listing plus one inspect per container; a container
 * removed in between is simply not there.
 */
export async function projectContainers(
  project: ComposeProject,
): Promise<Map<string, EngineContainer[]>> {
  const listed = (await callDocker(project.call, 'GET /containers/json', (abortSignal) =>
    project.docker.listContainers({
      all: true,
      filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project.project}`] },
      abortSignal,
    }),
  )) as { Id?: string; Labels?: Record<string, string> }[];
  const ours = listed.filter(
    (c) =>
      c.Id !== undefined &&
      c.Labels?.[COMPOSE_ONEOFF_LABEL] !== 'True' &&
      c.Labels?.[COMPOSE_SERVICE_LABEL] !== undefined,
  );
  const inspected = await Promise.all(ours.map((c) => inspectContainer(project, c.Id ?? '')));
  const byService = new Map<string, EngineContainer[]>();
  for (const container of inspected) {
    const service = container?.Config?.Labels?.[COMPOSE_SERVICE_LABEL];
    if (container === undefined || service === undefined) continue;
    byService.set(service, [...(byService.get(service) ?? []), container]);
  }
  return byService;
}

/** A container's inspect, or undefined when it is gone (404). */
export async function inspectContainer(
  project: ComposeProject,
  id: string,
): Promise<EngineContainer | undefined> {
  try {
    return (await callDocker(
      project.call,
      `GET /containers/${id.slice(0, 12)}/json`,
      () => project.docker.getContainer(id).inspect(),
      (e) => statusCode(e) === 404,
    )) as unknown as EngineContainer;
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/** The grouped containers → service states, by name; one-shots from config and labels. */
export function toServiceStates(
  project: ComposeProject,
  byService: ReadonlyMap<string, readonly EngineContainer[]>,
): ServiceState[] {
  const oneShot = new Set(project.oneShot);
  for (const containers of byService.values()) {
    for (const container of containers)
      for (const name of completedDependencies(container.Config?.Labels ?? undefined))
        oneShot.add(name);
  }
  return [...byService.entries()]
    .map(([name, containers]) =>
      toComposeService(project.project, name, containers, oneShot.has(name)),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}
