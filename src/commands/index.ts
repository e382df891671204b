import type { Command } from '../core/command.js';
import type { CommandDeps } from './command-deps.js';
import { auditCommand } from './audit.js';
import { escalateCommand } from './escalate.js';
import { createRedactor } from '../lib/redact.js';
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
    escalateCommand({
      config: deps.config,
      clock: deps.clock,
      checkStatus: deps.checkStatus,
      platformFor: deps.platformFor,
      // Without configured secrets, the built-in credential shapes still apply.
      redact: deps.redact ?? createRedactor([]),
      ...(deps.operations && {
        notifier: deps.operations.notifier,
        requests: deps.operations.store,
      }),
      ...(deps.audit && { audit: deps.audit }),
      ...(deps.watchState && { watchState: deps.watchState }),
    }),
  );
  if (deps.audit)
    commands.push(auditCommand({ audit: deps.audit, slash: `/${deps.config.command}` }));
  return commands;
}
