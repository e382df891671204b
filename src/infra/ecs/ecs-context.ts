import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient, type ECSClientConfig } from '@aws-sdk/client-ecs';

/** Where one environment's ECS service lives; mirrors the `ecs` block of an environment. */
export interface EcsOptions {
  readonly cluster: string;
  /** Chat name → ECS service name (`cloudtak` → `coe-etl-prod-Service`). */
  readonly services: Readonly<Record<string, string>>;
  /** Unset: the SDK's own resolution (AWS_REGION, the profile's region). */
  readonly region?: string;
  /** A private (VPC) endpoint for ECS, or a stand-in in tests. */
  readonly endpoint?: string;
  /** The same for CloudWatch Logs. */
  readonly logsEndpoint?: string;
  /** The log group to read, when the task definition's awslogs group is not the one. */
  readonly logGroup?: string;
  /** Deadline of each AWS call. */
  readonly timeoutMs?: number;
  /** Unset: the SDK's default chain (env, SSO, profile, container or instance role). */
  readonly credentials?: NonNullable<ECSClientConfig['credentials']>;
}

/** The SDK clients and names an ECS environment's platform and operator share. */
export interface EcsContext {
  readonly ecs: ECSClient;
  readonly logs: CloudWatchLogsClient;
  readonly cluster: string;
  /** ECS service name of a chat name. */
  ecsName(name: string): string;
  /** Chat name of an ECS service name. */
  chatName(ecsName: string): string;
  readonly chatNames: readonly string[];
  readonly logGroup?: string;
  /** `cluster coe-ecs-prod in us-gov-east-1`, for messages. */
  readonly where: string;
}

/** Builds the SDK clients once per environment: credentials and region the standard AWS way. */
export function createEcsContext(options: EcsOptions, chatNames: readonly string[]): EcsContext {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const common = {
    ...(options.region !== undefined && { region: options.region }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: Math.min(3000, timeoutMs), requestTimeout: timeoutMs },
  };
  const ecs = new ECSClient({
    ...common,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
  });
  const logs = new CloudWatchLogsClient({
    ...common,
    ...(options.logsEndpoint !== undefined && { endpoint: options.logsEndpoint }),
  });
  const toEcs = new Map(chatNames.map((name) => [name, options.services[name] ?? name]));
  const toChat = new Map([...toEcs].map(([chat, ecsName]) => [ecsName, chat]));
  return {
    ecs,
    logs,
    cluster: options.cluster,
    ecsName: (name) => toEcs.get(name) ?? name,
    chatName: (ecsName) => toChat.get(ecsName) ?? ecsName,
    chatNames,
    ...(options.logGroup !== undefined && { logGroup: options.logGroup }),
    where: `cluster ${options.cluster}${options.region === undefined ? '' : ` in ${options.region}`}${options.endpoint === undefined ? '' : ` (${options.endpoint})`}`,
  };
}
