/** The labels Docker Compose v2 puts on every container it creates for a project's services. */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
export const COMPOSE_NUMBER_LABEL = 'com.docker.compose.container-number';
/** `True` on `docker compose run` containers: one-off commands, not the service itself. */
export const COMPOSE_ONEOFF_LABEL = 'com.docker.compose.oneoff';
/** `db:service_healthy:false,migrate:service_completed_successfully:false` (service:condition:restart). */
export const COMPOSE_DEPENDS_ON_LABEL = 'com.docker.compose.depends_on';
/** The image id the container was created from, as Compose records it. */
export const COMPOSE_IMAGE_LABEL = 'com.docker.compose.image';
/** Ours: the image a container ran before the bot recreated it with another one (rollback target). */
export const PREVIOUS_IMAGE_LABEL = 'io.tas-chatops.previous-image';

/**
 * Services another container waits for with `condition: service_completed_successfully`: the
 * one-shot services of the project (tripl's `migrate`), read from the dependants' labels.
 */
export function completedDependencies(
  labels: Readonly<Record<string, string>> | undefined,
): string[] {
  const value = labels?.[COMPOSE_DEPENDS_ON_LABEL] ?? '';
  return value
    .split(',')
    .map((entry) => entry.trim().split(':'))
    .filter(
      ([service, condition]) =>
        service !== undefined && service !== '' && condition === 'service_completed_successfully',
    )
    .map(([service]) => service ?? '');
}
