import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from '../../core/errors.js';
import type {
  LogSource,
  LogStreamOptions,
  ServiceState,
} from '../../core/ports/container-platform.js';
import type { DefinitionCache } from './describe-ecs-services.js';
import { taskDefinition } from './describe-ecs-services.js';
import type { EcsContext } from './ecs-context.js';
import { essentialContainer } from './to-ecs-service-state.js';
import { callAws } from './to-aws-error.js';

/** Where a service's containers log: the awslogs group, and the stream prefix of its container. */
export interface LogTarget {
  readonly group: string;
  /** `ecs/api/` (awslogs-stream-prefix/container/): streams are `<prefix>/<container>/<task id>`. */
  readonly streamPrefix?: string;
}

/** From the current task definition's awslogs options, or `ecs.logGroup` when configured. */
export async function logTarget(
  context: EcsContext,
  service: ServiceState,
  arn: string,
  cache: DefinitionCache,
): Promise<LogTarget> {
  const container = essentialContainer(await taskDefinition(context, arn, cache));
  const options =
    container?.logConfiguration?.logDriver === 'awslogs'
      ? (container.logConfiguration.options ?? {})
      : {};
  const group = context.logGroup ?? options['awslogs-group'];
  if (group === undefined) {
    throw new UserError(
      'NOT_SUPPORTED',
      `${service.name}'s task definition does not log to CloudWatch (log driver ${container?.logConfiguration?.logDriver ?? 'none'}); set ecs.logGroup to the group that holds its logs.`,
    );
  }
  const prefix = options['awslogs-stream-prefix'];
  return {
    group,
    ...(prefix !== undefined &&
      container?.name !== undefined && { streamPrefix: `${prefix}/${container.name}/` }),
  };
}

/**
 * CloudWatch Logs (FilterLogEvents, page by page) → a raw LogSource: one line per event,
 * `<ISO time> <message>\n`, the time in the form the excerpt pipeline reads as Docker's prefix.
 * With `tail`, only the last `tail` events of each log stream (each task), merged by time.
 */
export function cloudWatchSource(
  context: EcsContext,
  target: LogTarget,
  options: LogStreamOptions,
): LogSource {
  let closed = false;
  async function* events(): AsyncGenerator<FilteredLogEvent[]> {
    let nextToken: string | undefined;
    do {
      const page = await callAws('CloudWatch Logs', 'FilterLogEvents', context.where, () =>
        context.logs.send(
          new FilterLogEventsCommand({
            logGroupName: target.group,
            ...(target.streamPrefix !== undefined && { logStreamNamePrefix: target.streamPrefix }),
            ...(options.since !== undefined && { startTime: options.since.getTime() }),
            ...(nextToken !== undefined && { nextToken }),
          }),
        ),
      );
      yield page.events ?? [];
      nextToken = page.nextToken;
    } while (nextToken !== undefined && !closed);
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (options.tail === undefined) {
      for await (const page of events()) {
        if (closed) return;
        if (page.length > 0) yield Buffer.from(page.map(line).join(''));
      }
      return;
    }
    const kept = new Map<string, FilteredLogEvent[]>();
    for await (const page of events()) {
      for (const event of page) {
        const stream = kept.get(event.logStreamName ?? '') ?? [];
        stream.push(event);
        if (stream.length > options.tail) stream.shift();
        kept.set(event.logStreamName ?? '', stream);
      }
    }
    const merged = [...kept.values()]
      .flat()
      .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    if (merged.length > 0 && !closed) yield Buffer.from(merged.map(line).join(''));
  }
  return {
    framing: 'raw',
    chunks: chunks(),
    close() {
      closed = true;
    },
  };
}

function line(event: FilteredLogEvent): string {
  const time = new Date(event.timestamp ?? 0).toISOString();
  return `${time} ${(event.message ?? '').replace(/\r?\n$/, '')}\n`;
}
