import type { Command, Invocation } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import { usageError } from '../core/middleware/resolve-command.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import { buildExcerpt, TASK_KEY_CHARS } from '../diagnostics/logs/build-excerpt.js';
import { limitLogTime } from '../diagnostics/logs/limit-log-time.js';
import { logPatterns } from '../diagnostics/logs/log-patterns.js';
import { readLogBatches } from '../diagnostics/logs/read-log-source.js';
import type { CommandDeps } from './command-deps.js';
import { excerptReply } from './excerpt-reply.js';
import { readLogsOptions } from './logs-options.js';
import { resolveService } from './resolve-service.js';

// Lines per task shown when nothing is of interest and no --tail says how many; the reply keeps
// what fits a message and attaches the rest.
const QUIET_LINES = 50;
const MAX_QUIET_LINES = 200;

/**
 * What `logs <service>` does once invoked: options read (a --grep pattern compiled), the stream
 * read within the environment's limits, the excerpt built. A module of its own, loaded when a
 * `logs` runs: the pattern compiler and the excerpt builder are no cost to a `run "/tas status"`.
 */
export async function runLogs(
  deps: CommandDeps,
  command: Command,
  { args, environment, log }: Invocation,
): Promise<Reply> {
  const env = deps.config.environments[environment];
  if (env === undefined) throw new Error(`environment ${environment} vanished from config`);
  const [name, ...extra] = args.positional;
  if (name === undefined)
    throw usageError('/' + deps.config.command, command, 'which service? name one');
  if (extra.length > 0)
    throw usageError('/' + deps.config.command, command, `unexpected "${extra.join(' ')}"`);
  const options = readLogsOptions(args, env, deps.clock.now());
  if (!options.ok) throw usageError('/' + deps.config.command, command, options.error);

  const platform = deps.platformFor(environment);
  const service = await resolveService(platform, environment, name);
  const limited = limitLogTime(
    await platform.streamLogs(service, {
      ...(options.value.since && { since: options.value.since }),
      ...(options.value.tail !== undefined && { tail: options.value.tail }),
    }),
    env.logs.maxSeconds * 1000,
  );
  const excerpt = await buildExcerpt(
    readLogBatches(limited.source, { maxBytes: env.logs.maxBytes }),
    {
      patterns: logPatterns(env.logs.patterns),
      maxBytes: env.logs.maxBytes,
      // Configured secrets too: --grep sees only redacted lines, so it cannot probe one.
      ...(deps.redact && { redact: deps.redact }),
      ...(options.value.grep && { grep: options.value.grep }),
      ...(options.value.level && { level: options.value.level }),
      ...(options.value.context !== undefined && { context: options.value.context }),
      recentLines: Math.min(options.value.tail ?? QUIET_LINES, MAX_QUIET_LINES),
      ...taskLabels(service),
    },
  );
  limited.clear();
  const broken = limited.brokenBy();
  if (broken !== undefined)
    log.warn({ service: service.name, error: broken }, 'the Engine ended the log stream early');
  return excerptReply({
    environment,
    service: service.name,
    options: options.value,
    excerpt,
    ...(limited.timedOut() && { stoppedAfterSeconds: env.logs.maxSeconds }),
    ...(broken !== undefined && { streamBroken: true }),
  });
}

/**
 * `backend.1`, `backend.2` by task id, when the service has several replicas: which replica said
 * what matters then. A restarted task keeps its slot, so its lines share the label of the one it
 * replaced; a task without a slot (global service) goes by its id.
 */
function taskLabels(service: ServiceState): { taskLabels?: ReadonlyMap<string, string> } {
  const labels = new Map<string, string>();
  for (const task of service.tasks) {
    const key = task.id.slice(0, TASK_KEY_CHARS);
    labels.set(
      key,
      task.slot === undefined ? `${service.name}@${key}` : `${service.name}.${task.slot}`,
    );
  }
  return new Set(labels.values()).size > 1 ? { taskLabels: labels } : {};
}
