import type { Command } from '../core/command.js';
import { statusReply } from '../diagnostics/status/status-reply.js';
import type { CommandDeps } from './command-deps.js';

/** `status [env]`: verdict, every service, every probe, in one message. */
export function statusCommand(deps: CommandDeps): Command {
  return {
    name: 'status',
    summary: 'verdict, replicas, restart loops, image tags and probes',
    usage: 'status [env]',
    flags: [],
    permission: 'read',
    environmentPositional: true,
    async run({ environment }) {
      const platform = deps.config.environments[environment]?.platform;
      return statusReply(await deps.checkStatus(environment), platform);
    },
  };
}
