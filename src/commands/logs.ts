import type { Command } from '../core/command.js';
import { usageError } from '../core/middleware/resolve-command.js';
import { buildExcerpt } from '../diagnostics/logs/build-excerpt.js';
import { logPatterns } from '../diagnostics/logs/log-patterns.js';
import { excerptReply } from './excerpt-reply.js';
import { limitLogTime } from '../diagnostics/logs/limit-log-time.js';
import { readLogSource } from '../diagnostics/logs/read-log-source.js';
import type { CommandDeps } from './command-deps.js';
import { readLogsOptions } from './logs-options.js';
import { resolveService } from './resolve-service.js';
import { stringFlags } from './string-flags.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import { TASK_KEY_CHARS } from '../diagnostics/logs/build-excerpt.js';

const USAGE = 'logs <service> [--since 15m] [--tail 200] [--grep RE] [--level error] [--context N]';
// Lines per task shown when nothing is of interest and no --tail says how many; the reply keeps
// what fits a message and attaches the rest.
const QUIET_LINES = 50;
const MAX_QUIET_LINES = 200;

/** `logs <service>`: an excerpt, never a dump: patterns counted, repeats collapsed, context kept. */
export function logsCommand(deps: CommandDeps): Command {
  const command: Command = {
    name: 'logs',
    summary: 'log excerpt: runbook patterns counted, repeats collapsed, secrets redacted',
    usage: USAGE,
    flags: stringFlags('since', 'tail', 'grep', 'level', 'context'),
    permission: 'read',
    async run({ args, environment, log }) {
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
        readLogSource(limited.source, { maxBytes: env.logs.maxBytes }),
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
    },
  };
  return command;
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
