import type Docker from 'dockerode';
import type { ServiceState, TaskSummary } from '../../core/ports/container-platform.js';
import { callDocker, type DockerCallOptions } from './call-docker.js';
import { STACK_NAMESPACE_LABEL, type EngineService, type EngineTask } from './engine-types.js';
import { statusCode } from './to-docker-error.js';
import { toServiceState } from './to-service-state.js';
import { newestFirst, toTaskSummary } from './to-task-summary.js';

interface OurService {
  readonly service: EngineService;
  readonly name: string;
  readonly id: string;
}

/**
 * One listing of the stack: its services with status and, at the same time, the tasks of every
 * service `docker stack deploy` labelled with the stack's namespace. The Engine copies a
 * service's labels onto each task it creates, and `docker stack ps` finds a stack's tasks by this
 * very label, so both answers arrive after one round trip instead of two in a row. A service of
 * ours without the label (created by hand as `<stack>_<name>`) has its tasks asked for by id
 * afterwards, as before.
 */
export async function listStackServices(
  docker: Docker,
  stack: string,
  call: DockerCallOptions,
): Promise<readonly ServiceState[]> {
  // The Engine's `name` filter is a prefix match, so `prod_` also returns `prod_x_api` of a
  // stack named `prod_x`; shortNameOf keeps only what is really ours. Stack services are
  // always named `<namespace>_<service>`, so this one filter covers the namespace label too.
  const byLabel = listTasks(docker, call, { label: [`${STACK_NAMESPACE_LABEL}=${stack}`] });
  // When both fail (no swarm, a proxy refusing both), the listing's own error is the one told.
  byLabel.catch(() => undefined);
  const listed = await callDocker(call, 'GET /services', (abortSignal) =>
    docker.listServices({ status: true, filters: { name: [`${stack}_`] }, abortSignal }),
  );
  const ours = (listed as EngineService[]).flatMap((service): OurService[] => {
    const name = shortNameOf(service, stack);
    return name === undefined || service.ID === undefined
      ? []
      : [{ service, name, id: service.ID }];
  });
  const unlabelled = ours.filter(({ service }) => namespaceOf(service) === undefined);
  const labelled = await byLabel;
  const byId =
    unlabelled.length === 0
      ? new Map<string, TaskSummary[]>()
      : await listTasks(docker, call, { service: unlabelled.map(({ id }) => id) });
  const tasksOf = ({ service, id }: OurService) =>
    (namespaceOf(service) === undefined ? byId : labelled).get(id) ?? [];
  return ours
    .map((ours) => toServiceState(ours.service, ours.name, tasksOf(ours)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Tasks by service id, newest first. A `service` filter naming a removed service fails with 404. */
async function listTasks(
  docker: Docker,
  call: DockerCallOptions,
  filters: { readonly service: readonly string[] } | { readonly label: readonly string[] },
): Promise<Map<string, TaskSummary[]>> {
  const raw = await callDocker(
    call,
    'GET /tasks',
    (abortSignal) => docker.listTasks({ filters, abortSignal }),
    (error) => statusCode(error) === 404,
  );
  const byService = new Map<string, TaskSummary[]>();
  for (const task of raw as EngineTask[]) {
    if (task.ServiceID === undefined) continue;
    const list = byService.get(task.ServiceID) ?? [];
    list.push(toTaskSummary(task));
    byService.set(task.ServiceID, list);
  }
  for (const list of byService.values()) list.sort(newestFirst);
  return byService;
}

function namespaceOf(service: EngineService): string | undefined {
  return service.Spec?.Labels?.[STACK_NAMESPACE_LABEL];
}

/** `prod_backend` → `backend` for stack `prod`; undefined when the service is not the stack's. */
export function shortNameOf(service: EngineService, stack: string): string | undefined {
  const fullName = service.Spec?.Name ?? '';
  const prefix = `${stack}_`;
  if (!fullName.startsWith(prefix) || fullName.length === prefix.length) return undefined;
  const namespace = namespaceOf(service);
  // Deployed by `docker stack deploy` into another stack whose name merely starts like ours.
  if (namespace !== undefined && namespace !== stack) return undefined;
  return fullName.slice(prefix.length);
}
