/**
 * The parts of Engine API v1.41 service and task objects this adapter reads. Everything is
 * optional: the Engine omits empty fields, and a proxy or an older daemon may omit more.
 */
export interface EngineService {
  readonly ID?: string;
  readonly Version?: { readonly Index?: number };
  readonly Spec?: {
    readonly Name?: string;
    readonly Labels?: Readonly<Record<string, string>>;
    readonly TaskTemplate?: {
      readonly ContainerSpec?: { readonly Image?: string; readonly TTY?: boolean };
      readonly ForceUpdate?: number;
    };
    readonly UpdateConfig?: object;
    readonly Mode?: {
      readonly Replicated?: { readonly Replicas?: number };
      readonly Global?: object;
      readonly ReplicatedJob?: {
        readonly MaxConcurrent?: number;
        readonly TotalCompletions?: number;
      };
      readonly GlobalJob?: object;
    };
  };
  readonly UpdateStatus?: { readonly State?: string; readonly Message?: string };
  /** Jobs only: which run is current (`Index` is left out while it is 0). */
  readonly JobStatus?: { readonly JobIteration?: { readonly Index?: number } };
  /** The spec before the last update (what `rollback=previous` goes back to). */
  readonly PreviousSpec?: EngineService['Spec'];
  readonly ServiceStatus?: {
    readonly RunningTasks?: number;
    readonly DesiredTasks?: number;
    readonly CompletedTasks?: number;
  };
}

export interface EngineTask {
  readonly ID?: string;
  readonly ServiceID?: string;
  readonly Slot?: number;
  readonly NodeID?: string;
  readonly CreatedAt?: string;
  readonly DesiredState?: string;
  /** Jobs only: the run of the job this task belongs to (`Index` left out while it is 0). */
  readonly JobIteration?: { readonly Index?: number };
  readonly Status?: {
    readonly Timestamp?: string;
    readonly State?: string;
    readonly Message?: string;
    readonly Err?: string;
    readonly ContainerStatus?: {
      readonly ContainerID?: string;
      readonly ExitCode?: number;
    };
  };
}

/** The label `docker stack deploy` puts on every service of a stack. */
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';
