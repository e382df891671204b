import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import type { RollbackTarget } from '../core/ports/service-operator.js';
import { normaliseImage, tagOf } from '../lib/image-reference.js';
import type {
  OperationKind,
  OperationStep,
  ServiceSnapshot,
} from '../core/requests/operation-request.js';
import { refuseRepositoryChange, repositoryChange, targetImage } from './image-change.js';
import { restartMarker } from './step-progress.js';

export interface PlanInput {
  readonly operation: OperationKind;
  readonly environment: string;
  readonly env: EnvironmentConfig;
  /** The live services (fresh listing). */
  readonly services: readonly ServiceState[];
  readonly target: string;
  readonly replicas?: number;
  readonly image?: string;
  /** Replicas recorded by an earlier stop, by service. */
  readonly saved: ReadonlyMap<string, number>;
}

export function snapshotOf(service: ServiceState): ServiceSnapshot {
  return {
    image: service.image,
    imageTag: service.imageTag,
    desired: service.desired,
    running: service.running,
    version: service.version,
    fingerprint: service.fingerprint ?? '',
    forceUpdate: service.forceUpdate ?? 0,
    ...(service.previous !== undefined && { previousImage: service.previous.image }),
  };
}

/** The exact spec a rollback goes to, recorded now, so applying it again changes nothing. */
function rollbackTarget(previous: NonNullable<ServiceState['previous']>): RollbackTarget {
  return {
    image: previous.image,
    ...(previous.taskDefinition !== undefined && { taskDefinition: previous.taskDefinition }),
  };
}

function step(
  service: ServiceState,
  change: OperationStep['change'],
  describe: string,
  note?: string,
): OperationStep {
  return {
    service: service.name,
    change,
    before: snapshotOf(service),
    describe,
    state: 'planned',
    ...(note && { note }),
  };
}

/**
 * How an image change reads on the card: both full references, so a registry or path swap
 * cannot hide behind a familiar tag; the short `tag→tag` only when the repository stays.
 */
function imageText(before: string, after: string): string {
  const full = `${normaliseImage(before)} → ${normaliseImage(after)}`;
  if (repositoryChange(before, after) !== undefined) return `image ${full}`;
  return `image ${tagOf(before)}→${tagOf(after)} (${full})`;
}

/** What a restart does, in the platform's own terms: what the approvers are agreeing to. */
function restartText(platform: EnvironmentConfig['platform'], service: ServiceState): string {
  const plural = service.desired === 1 ? '' : 's';
  const running = `(${service.running}/${service.desired} running)`;
  switch (platform) {
    case 'swarm':
      return `force update: new task${plural}, same spec ${running}`;
    case 'compose':
      return `container restart, same configuration ${running}`;
    case 'ecs':
      return `force new deployment: new task${plural}, same task definition ${running}`;
  }
}

function planOne(input: PlanInput, service: ServiceState): OperationStep | undefined {
  switch (input.operation) {
    case 'restart':
      // The marker it leaves: Swarm writes exactly this ForceUpdate value; Compose and ECS
      // report a start in ms, which a restart moves past it.
      return step(
        service,
        { kind: 'restart', forceUpdate: restartMarker(input.env.platform, service) },
        restartText(input.env.platform, service),
      );
    case 'scale': {
      const replicas = input.replicas ?? 0;
      if (service.mode !== 'replicated')
        throw new UserError(
          'NOT_SUPPORTED',
          `${service.name} is a ${service.mode} service; only replicated services scale.`,
        );
      if (replicas === service.desired)
        throw new UserError('NOTHING_TO_DO', `${service.name} already has ${replicas} replicas.`);
      return step(service, { kind: 'scale', replicas }, `replicas ${service.desired}→${replicas}`);
    }
    case 'stop':
      if (service.desired === 0)
        return input.target === 'all'
          ? undefined
          : step(service, { kind: 'scale', replicas: 0 }, 'already at 0 replicas');
      return step(
        service,
        { kind: 'scale', replicas: 0 },
        `replicas ${service.desired}→0 (${service.desired} recorded for start)`,
      );
    case 'start': {
      const replicas = input.saved.get(service.name) ?? 1;
      if (service.desired > 0)
        return input.target === 'all'
          ? undefined
          : step(
              service,
              { kind: 'scale', replicas: service.desired },
              `already running with ${service.desired} replicas`,
            );
      const source = input.saved.has(service.name)
        ? 'recorded at stop'
        : 'none recorded, runbook default';
      return step(service, { kind: 'scale', replicas }, `replicas 0→${replicas} (${source})`);
    }
    case 'rollback': {
      if (input.image !== undefined) {
        const image = targetImage(service.image, input.image);
        refuseRepositoryChange(input.env, input.environment, service.name, service.image, image);
        return step(service, { kind: 'image', image }, imageText(service.image, image));
      }
      if (service.previous === undefined) {
        throw new UserError(
          'NOT_SUPPORTED',
          `${service.name} has no previous image to roll back to.`,
          ['Name the image tag to go to: `rollback <service> <tag>`.'],
        );
      }
      const previous = service.previous.image;
      refuseRepositoryChange(input.env, input.environment, service.name, service.image, previous);
      // Swarm and Compose go back to the previous image only; ECS to the previous task
      // definition revision, which is a whole spec: the card says which.
      const what =
        input.env.platform === 'ecs'
          ? 'the previous task definition revision'
          : 'the previous image';
      return step(
        service,
        { kind: 'rollback', target: rollbackTarget(service.previous) },
        `back to ${what}: ${imageText(service.image, previous)}`,
      );
    }
  }
}

/**
 * The steps of one request. `all` (stop/start only) follows the runbook: stop in the configured
 * order, start in reverse; services already in the wanted state are left out, services that are
 * not deployed are skipped. Single services were resolved by exact name before this.
 */
export function planSteps(input: PlanInput): OperationStep[] {
  const byName = new Map(input.services.map((s) => [s.name, s]));
  if (input.target !== 'all') {
    const service = byName.get(input.target);
    if (service === undefined) throw new Error(`planSteps: ${input.target} was not resolved`);
    const planned = planOne(input, service);
    return planned ? [planned] : [];
  }
  const order =
    input.operation === 'start' ? [...input.env.services].reverse() : input.env.services;
  return order.flatMap((name) => {
    const service = byName.get(name);
    const planned = service && planOne(input, service);
    return planned ? [planned] : [];
  });
}
