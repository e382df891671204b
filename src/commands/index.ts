import type { Command } from '../core/command.js';
import type { CommandDeps } from './command-deps.js';
import { auditCommand } from './audit.js';
import { helpCommand } from './help.js';
import { logsCommand } from './logs.js';
import { operationCommands } from './operation-commands.js';
import { statusCommand } from './status.js';

/** Every /tas command, listed explicitly (no self-registration). */
export function createCommands(deps: CommandDeps): readonly Command[] {
  const commands: Command[] = [];
  commands.push(
    helpCommand(() => commands, deps.directory, `/${deps.config.command}`),
    statusCommand(deps),
    logsCommand(deps),
    ...operationCommands(deps),
  );
  if (deps.audit) commands.push(auditCommand({ audit: deps.audit, slash: `/${deps.config.command}` }));
  return commands;
}
