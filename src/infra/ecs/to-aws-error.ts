import { DependencyError } from '../../core/errors.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Any failure of an AWS SDK call → a DependencyError naming the service, what was attempted and
 * what to check next (network, credentials, IAM permissions, names in the config).
 */
export function toAwsError(
  error: unknown,
  service: 'ECS' | 'CloudWatch Logs',
  action: string,
  where: string,
): DependencyError {
  const name = property(error, 'name') ?? property(error, '__type') ?? 'Error';
  const code = property(error, 'code');
  const message = error instanceof Error ? error.message : String(error);
  const at = `AWS ${service} (${where})`;
  const options = { cause: error };
  if (
    (code !== undefined && UNREACHABLE.has(code)) ||
    name === 'TimeoutError' ||
    name === 'RequestTimeout'
  ) {
    return new DependencyError(
      'ecs',
      `${at} did not answer ${action} (${code ?? name}). Check the network path to the endpoint (a VPC endpoint needs ecs.endpoint).`,
      options,
    );
  }
  if (name === 'CredentialsProviderError' || message.includes('Could not load credentials')) {
    return new DependencyError(
      'ecs',
      `${at}: no AWS credentials for ${action}. Give the bot a role (task or instance role, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).`,
      options,
    );
  }
  if (message.includes('Region is missing')) {
    return new DependencyError(
      'ecs',
      `${at}: no AWS region for ${action}. Set ecs.region in the config or AWS_REGION.`,
      options,
    );
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'UnrecognizedClientException' ||
    name === 'ExpiredTokenException'
  ) {
    return new DependencyError(
      'ecs',
      `${at} refused ${action} (${name}): ${message}. The bot's IAM role needs ecs:Describe*, ecs:List*, ecs:UpdateService and logs:FilterLogEvents.`,
      options,
    );
  }
  if (name === 'ClusterNotFoundException') {
    return new DependencyError(
      'ecs',
      `${at}: the cluster does not exist (${action}). Check ecs.cluster and the region.`,
      options,
    );
  }
  return new DependencyError('ecs', `${at} failed ${action} (${name}): ${message}`, options);
}

function property(value: unknown, key: string): string | undefined {
  const found =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[key]
      : undefined;
  return typeof found === 'string' ? found : undefined;
}

/** Runs one SDK call and maps its failure. */
export async function callAws<T>(
  service: 'ECS' | 'CloudWatch Logs',
  action: string,
  where: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAwsError(error, service, action, where);
  }
}
