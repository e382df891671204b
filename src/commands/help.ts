import type { Command } from '../core/command.js';
import type { Directory } from '../core/directory.js';
import { UserError } from '../core/errors.js';
import type { ChatEvent } from '../core/chat-event.js';
import { pickEnvironment } from '../core/pick-environment.js';
import type { Reply } from '../core/reply.js';

/**
 * The environments whose permissions decide what help shows: the one the picker chooses, as a
 * command here would run in it; where it cannot choose, every candidate.
 */
function environmentsHere(
  directory: Directory,
  event: ChatEvent,
  env: string | true | undefined,
): { environment?: string; environments: readonly string[] } {
  const asked = typeof env === 'string' ? env : undefined;
  const pick = pickEnvironment(directory, {
    asked,
    platform: event.platform,
    channelId: event.channelId,
  });
  switch (pick.kind) {
    case 'picked':
      return { environment: pick.name, environments: [pick.name] };
    case 'unknown':
      return { environments: pick.known };
    case 'ambiguous':
    case 'none':
      return { environments: pick.candidates };
  }
}

/** `help [command]`: only what this person may run, so nobody is shown a door that is locked. */
export function helpCommand(
  commands: () => readonly Command[],
  directory: Directory,
  slash: string,
): Command {
  return {
    name: 'help',
    summary: 'what you can run here',
    usage: 'help [command]',
    flags: [],
    permission: 'public',
    needsEnvironment: false,
    run({ identity, args, event }): Promise<Reply> {
      const { environment, environments } = environmentsHere(directory, event, args.flags.env);
      const mayRun = (command: Command) =>
        command.permission === 'public' ||
        environments.some((env) => directory.allows(identity, env, command.permission));
      const visible = commands().filter(mayRun);
      const asked = args.positional[0];
      if (asked !== undefined) {
        const command = visible.find((c) => c.name === asked);
        if (command === undefined) {
          throw new UserError('UNKNOWN_COMMAND', `There is no command \`${asked}\` you can run.`, [
            `\`${slash} help\` lists what you can run.`,
          ]);
        }
        return Promise.resolve({
          title: `${slash} ${command.usage}`,
          blocks: [
            {
              kind: 'text',
              text: `${command.summary}${command.privileged ? ' (needs approval)' : ''}`,
            },
          ],
          ephemeral: true,
        });
      }
      return Promise.resolve({
        title: `What you can run${environment ? ` in ${environment}` : ''}`,
        blocks: [
          {
            kind: 'rows',
            rows: visible.map((command) => ({
              label: `${slash} ${command.usage}`,
              value: `${command.summary}${command.privileged ? ' (needs approval)' : ''}`,
              tone: 'info' as const,
            })),
          },
        ],
        ephemeral: true,
        data: { commands: visible.map((c) => c.name) },
      });
    },
  };
}
