import type { ServiceState } from '../../core/ports/container-platform.js';
import type { EngineReader } from '../engine-http/create-engine-reader.js';
import { callDocker, type DockerCallOptions } from './call-docker.js';
import { STACK_NAMESPACE_LABEL, type EngineService, type EngineTask } from './engine-types.js';
import { statusCode } from './to-docker-error.js';
import { serviceStatusOf } from './service-status-of.js';
import { toServiceState } from './to-service-state.js';
import { newestFirst, toTaskSummary } from './to-task-summary.js';

interface OurService {
  readonly service: EngineService;
  readonly name: string;
  readonly id: string;
}

/** What the previous listing of a stack found, kept by its platform for the next one. */
export interface StackMemory {
  /** Every service of the stack carried its namespace label (and there was one). */
  allLabelled: boolean;
}

/**
 * One listing of the stack: its services and their tasks, the services' running and desired
 * counts taken from those tasks as the Engine takes them (serviceStatusOf): the Engine is not
 * asked for `status=true`, which would make it walk the same tasks a second time. When the
 * previous listing found only services that `docker stack deploy` labelled with the stack's
 * namespace, the tasks are asked for by that label at the same time as the services: the
 * Engine copies a service's labels onto each task it creates, and `docker stack ps` finds a
 * stack's tasks by this very label, so both answers arrive after one round trip instead of two
 * in a row. Otherwise (the first listing, or services created by hand as `<stack>_<name>`) the
 * tasks of the services without the label are asked for by id once the services are known,
 * and no call is spent on a guess.
 */
export async function listStackServices(
  docker: EngineReader,
  stack: string,
  call: DockerCallOptions,
  memory: StackMemory,
): Promise<readonly ServiceState[]> {
  const byLabel = memory.allLabelled
    ? listTasks(docker, call, { label: [`${STACK_NAMESPACE_LABEL}=${stack}`] })
    : undefined;
  // When both fail (no swarm, a proxy refusing both), the listing's own error is the one told.
  byLabel?.catch(() => undefined);
  // The Engine's `name` filter is a prefix match, so `prod_` also returns `prod_x_api` of a
  // stack named `prod_x`; shortNameOf keeps only what is really ours. Stack services are
  // always named `<namespace>_<service>`, so this one filter covers the namespace label too.
  const listed = await callDocker(call, 'GET /services', (abortSignal) =>
    docker.listServices({ filters: { name: [`${stack}_`] }, abortSignal }),
  );
  const ours = (listed as EngineService[]).flatMap((service): OurService[] => {
    const name = shortNameOf(service, stack);
    return name === undefined || service.ID === undefined
      ? []
      : [{ service, name, id: service.ID }];
  });
  const labelled = (await byLabel) ?? new Map<string, EngineTask[]>();
  const inLabelled = ({ service }: OurService) =>
    byLabel !== undefined && namespaceOf(service) !== undefined;
  const rest = ours.filter((ours) => !inLabelled(ours));
  const byId =
    rest.length === 0
      ? new Map<string, EngineTask[]>()
      : await listTasks(docker, call, { service: rest.map(({ id }) => id) });
  memory.allLabelled =
    ours.length > 0 && ours.every(({ service }) => namespaceOf(service) !== undefined);
  return ours
    .map(({ service, name, id }) => {
      const tasks = (inLabelled({ service, name, id }) ? labelled : byId).get(id) ?? [];
      const withStatus = { ...service, ServiceStatus: serviceStatusOf(service, tasks) };
      return toServiceState(withStatus, name, tasks.map(toTaskSummary).sort(newestFirst));
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Tasks by service id, as the Engine sent them. A `service` filter naming a removed service fails with 404. */
async function listTasks(
  docker: EngineReader,
  call: DockerCallOptions,
  filters: { readonly service: readonly string[] } | { readonly label: readonly string[] },
): Promise<Map<string, EngineTask[]>> {
  const raw = await callDocker(
    call,
    'GET /tasks',
    (abortSignal) => docker.listTasks({ filters, abortSignal }),
    (error) => statusCode(error) === 404,
  );
  const byService = new Map<string, EngineTask[]>();
  for (const task of raw as EngineTask[]) {
    if (task.ServiceID === undefined) continue;
    const list = byService.get(task.ServiceID) ?? [];
    list.push(task);
    byService.set(task.ServiceID, list);
  }
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
