import type { Command } from '../core/command.js';
import type { CommandDeps } from './command-deps.js';
import { stringFlags } from './string-flags.js';

const USAGE = 'logs <service> [--since 15m] [--tail 200] [--grep RE] [--level error] [--context N]';

/** `logs <service>`: an excerpt, never a dump: patterns counted, repeats collapsed, context kept. */
export function logsCommand(deps: CommandDeps): Command {
  const command: Command = {
    name: 'logs',
    summary: 'log excerpt: runbook patterns counted, repeats collapsed, secrets redacted',
    usage: USAGE,
    flags: stringFlags('since', 'tail', 'grep', 'level', 'context'),
    permission: 'read',
    async run(invocation) {
      const { runLogs } = await import('./run-logs.js');
      return runLogs(deps, command, invocation);
    },
  };
  return command;
}
