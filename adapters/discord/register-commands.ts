import { Routes, type Client } from 'discord.js';
import type { CommandSpec } from '../../src/core/command.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { commandData } from './command-data.js';

/**
 * Registers `/<command>` with one subcommand per spec: in `guildId` when set (instant), else
 * globally. The PUT replaces the application's commands in that scope.
 */
export async function registerCommands(
  client: Client,
  scope: { readonly applicationId: string; readonly guildId?: string | undefined },
  command: { readonly name: string; readonly specs: readonly CommandSpec[] },
  log: Logger,
): Promise<void> {
  const { applicationId, guildId } = scope;
  const route =
    guildId === undefined
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, guildId);
  await client.rest.put(route, { body: [commandData(command.name, command.specs)] });
  log.info(
    {
      scope: guildId === undefined ? 'global' : `guild ${guildId}`,
      subcommands: command.specs.length,
    },
    `registered /${command.name}`,
  );
}
