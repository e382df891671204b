/**
 * The parts of an Engine API v1.41 container inspect this adapter reads or copies. Everything
 * is optional: a proxy or an older daemon may leave fields out.
 */
export interface EngineContainer {
  readonly Id?: string;
  readonly Name?: string;
  readonly Created?: string;
  readonly Image?: string;
  readonly RestartCount?: number;
  readonly State?: {
    readonly Status?: string;
    readonly Running?: boolean;
    readonly Restarting?: boolean;
    readonly OOMKilled?: boolean;
    readonly ExitCode?: number;
    readonly Error?: string;
    readonly StartedAt?: string;
    readonly FinishedAt?: string;
    readonly Health?: {
      readonly Status?: string;
      readonly FailingStreak?: number;
      readonly Log?: readonly { readonly ExitCode?: number; readonly Output?: string }[] | null;
    };
  };
  readonly Config?: EngineContainerConfig;
  /** Copied whole into the replacement container. */
  readonly HostConfig?: { readonly NetworkMode?: string; readonly [key: string]: unknown };
  readonly NetworkSettings?: {
    readonly Networks?: Readonly<Record<string, EngineEndpoint>> | null;
  };
}

export interface EngineContainerConfig {
  readonly Hostname?: string;
  readonly Image?: string;
  readonly Tty?: boolean;
  readonly Env?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Entrypoint?: readonly string[] | string | null;
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly ExposedPorts?: Readonly<Record<string, object>> | null;
  readonly Volumes?: Readonly<Record<string, object>> | null;
  readonly Healthcheck?: object | null;
  readonly [key: string]: unknown;
}

export interface EngineEndpoint {
  readonly Aliases?: readonly string[] | null;
  readonly Links?: readonly string[] | null;
  readonly IPAMConfig?: object | null;
  readonly DriverOpts?: Readonly<Record<string, string>> | null;
}

/** `GET /images/{name}/json`: only the defaults an image gives its containers. */
export interface EngineImage {
  readonly Id?: string;
  readonly Config?: EngineContainerConfig | null;
}
