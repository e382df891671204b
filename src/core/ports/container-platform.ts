/**
 * What the core needs from an orchestrator (Swarm, Compose or ECS), sized to the
 * commands: list a stack's services with their state and task history, and stream a service's
 * logs. Deliberately left out: creating or removing services, networks, secrets, nodes.
 * Implementations map exact service names themselves (the Engine's name filter is a prefix match).
 */
export interface ContainerPlatform {
  /** Every service of the stack, keyed by short name (`backend`, not `prod_backend`). */
  listServices(): Promise<readonly ServiceState[]>;
  /** Raw log bytes of one service across all its tasks, ending when the log does. */
  streamLogs(service: ServiceState, options: LogStreamOptions): Promise<LogSource>;
}

export type TaskState =
  | 'new'
  | 'allocated'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned';

export interface TaskSummary {
  readonly id: string;
  readonly slot?: number;
  /** A TaskState; typed as string since newer Engines may add states. */
  readonly state: string;
  readonly desiredState: string;
  readonly message: string;
  readonly error?: string;
  readonly exitCode?: number;
  /** When the task reached its current state. */
  readonly timestamp: Date;
  readonly createdAt: Date;
}

export interface ServiceState {
  /** Platform id (Swarm service id). */
  readonly id: string;
  /** Short name within the stack. */
  readonly name: string;
  /** Full platform name (`prod_backend`). */
  readonly fullName: string;
  readonly image: string;
  /** The tag part of the image (`5.15.2`), or `latest`/digest when that is all there is. */
  readonly imageTag: string;
  /** Replicated services: desired replicas; global services: desired tasks. */
  readonly desired: number;
  readonly running: number;
  readonly mode: 'replicated' | 'global' | 'job';
  readonly update?: { readonly state: string; readonly message?: string };
  /** Most recent first. */
  readonly tasks: readonly TaskSummary[];
  readonly tty: boolean;
  /** Optimistic-concurrency token (Swarm `Version.Index`). */
  readonly version: number;
  /**
   * What approvers are shown and the drift check compares: a digest of the image, the replica
   * count and the update config. Unlike `version`, it does not move on internal state changes.
   */
  readonly fingerprint?: string;
  /** Swarm `TaskTemplate.ForceUpdate`: a restart bumps it, which is how a restart is seen to have happened. */
  readonly forceUpdate?: number;
  /** The spec before the last update, where the platform keeps one (rollback target). */
  readonly previous?: {
    readonly image: string;
    readonly imageTag: string;
    readonly desired?: number;
    /** ECS: the task definition revision (ARN) before the current one. */
    readonly taskDefinition?: string;
  };
  /** ECS: the task definition revision (ARN) the service runs, which a rollback is seen by. */
  readonly taskDefinition?: string;
}

export interface LogStreamOptions {
  /** Only lines newer than this. */
  readonly since?: Date;
  /** At most this many lines per task, from the end. */
  readonly tail?: number;
}

/** A log stream plus the framing it uses, so the excerpt pipeline can demultiplex it. */
export interface LogSource {
  readonly framing: 'multiplexed' | 'raw';
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Stop reading early (byte cap reached); releases the connection. */
  close(): void;
}
