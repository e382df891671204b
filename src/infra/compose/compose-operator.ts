import { UserError } from '../../core/errors.js';
import type { ServiceState } from '../../core/ports/container-platform.js';
import type { ServiceChange, ServiceOperator } from '../../core/ports/service-operator.js';
import { callDocker } from '../docker/call-docker.js';
import { statusCode } from '../docker/to-docker-error.js';
import { composeProject, type ComposePlatformOptions } from './compose-platform.js';
import { PREVIOUS_IMAGE_LABEL } from './compose-labels.js';
import { projectContainers, toServiceStates } from './project-containers.js';
import { recreateContainer } from './recreate-container.js';
import { toContainerTask } from './to-container-task.js';
import type { EngineContainer } from './engine-container.js';
import { sameImage } from '../../lib/same-image.js';

/** Seconds each container gets to stop on restart, as `docker compose restart` gives it. */
const STOP_SECONDS = 10;

/**
 * Privileged changes to a Compose service through the Engine API: restart = restart each
 * container in turn (`POST /containers/{id}/restart`); rollback and image = recreate each
 * container with the same configuration on another image. Scaling, stop and start need the
 * compose file, which the bot does not have: `unsupported` says so before a card is shown.
 */
export function createComposeOperator(options: ComposePlatformOptions): ServiceOperator {
  const project = composeProject(options);
  const slow = { ...project.call, timeoutMs: project.call.timeoutMs + (STOP_SECONDS + 5) * 1000 };

  async function containersOf(name: string) {
    const containers = (await projectContainers(project)).get(name) ?? [];
    if (containers.length === 0) throw new Error(`${options.project}-${name} has no containers`);
    return containers;
  }

  const operator: ServiceOperator = {
    async inspect(name) {
      const containers = (await projectContainers(project)).get(name);
      if (containers === undefined) return undefined;
      return toServiceStates(project, new Map([[name, containers]]))[0];
    },

    async apply(name, change) {
      const containers = await containersOf(name);
      const state = toServiceStates(project, new Map([[name, containers]]))[0];
      const refused = state === undefined ? undefined : operator.unsupported?.(change, state);
      if (refused !== undefined) throw new UserError('NOT_SUPPORTED', refused);
      switch (change.kind) {
        case 'restart':
          // The marker is one past the latest start when the change was stored: a container
          // whose run started since was restarted by it before a crash, and is left alone.
          for (const container of containers.filter((c) => startedBefore(c, change.forceUpdate))) {
            const id = container.Id ?? '';
            await callDocker(
              slow,
              `POST /containers/${id.slice(0, 12)}/restart`,
              () => project.docker.getContainer(id).restart({ t: STOP_SECONDS }),
              (e) => statusCode(e) === 404,
            );
          }
          return { fromVersion: state?.version ?? 0, warnings: [] };
        case 'image':
        case 'rollback': {
          const previous = containers
            .map((c) => c.Config?.Labels?.[PREVIOUS_IMAGE_LABEL])
            .find((image) => image !== undefined && image !== '');
          // The target recorded on the card; the label only for a request stored before that.
          const image = change.kind === 'image' ? change.image : (change.target?.image ?? previous);
          if (image === undefined)
            throw new UserError(
              'NOT_SUPPORTED',
              `${name} has no previous image recorded; name the tag to go to.`,
            );
          // Only the containers not on the target yet: after a crash mid-way, the rest.
          for (const container of containers.filter((c) => !runs(c, image)))
            await recreateContainer(project, container, image);
          return { fromVersion: state?.version ?? 0, warnings: [] };
        }
        case 'scale':
          throw new UserError('NOT_SUPPORTED', notScalable(name, change.replicas));
      }
    },

    unsupported(change: ServiceChange, service: ServiceState) {
      if (change.kind === 'scale') return notScalable(service.name, change.replicas);
      if (service.mode === 'job') return oneShot(service.name);
      return undefined;
    },
  };
  return operator;
}

function notScalable(name: string, replicas: number): string {
  const onHost =
    replicas === 0
      ? `\`docker compose stop ${name}\``
      : `\`docker compose up -d --scale ${name}=${replicas}\``;
  return `${name} runs under Docker Compose, which keeps the number of replicas in the compose file; the bot has no compose file, so it cannot scale, stop or start ${name}. On the Docker host, run ${onHost} from the project directory. Restart and rollback work from here.`;
}

function oneShot(name: string): string {
  return `${name} is a one-shot service: it runs to completion and exits, so there is nothing to restart or keep running, and running it again (a migration) is a decision for the host. Run \`docker compose up ${name}\` there, or restart the services that depend on it.`;
}

function runs(container: EngineContainer, image: string): boolean {
  return sameImage(container.Config?.Image ?? container.Image ?? '', image);
}

/** Whether the container's current run started before `marker` (ms); always without one. */
function startedBefore(container: EngineContainer, marker: number | undefined): boolean {
  return marker === undefined || toContainerTask(container).createdAt.getTime() < marker;
}
