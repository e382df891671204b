import { Routes, type Client } from 'discord.js';
import type { CommandSpec } from '../../src/core/command.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { commandData } from './command-data.js';
import { matchesRegistered } from './matches-registered.js';

/** The commands to register in one scope: `contexts` and `integration_types` are global-only. */
function commandsFor(
  command: { readonly name: string; readonly specs: readonly CommandSpec[] },
  guildId: string | undefined,
): Record<string, unknown>[] {
  const data: Record<string, unknown> = { ...commandData(command.name, command.specs) };
  if (guildId !== undefined) {
    delete data.contexts;
    delete data.integration_types;
  }
  return [data];
}

/**
 * Registers `/<command>` with one subcommand per spec: in `guildId` when set (instant), else
 * globally. The registered commands are read first and the PUT (which replaces the
 * application's commands in that scope) goes out only when they differ: every bot process
 * runs this at start, and two starting together at worst send the same PUT twice, which
 * Discord answers with the same commands.
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
  const wanted = commandsFor(command, guildId);
  const where = {
    scope: guildId === undefined ? 'global' : `guild ${guildId}`,
    subcommands: command.specs.length,
  };
  if (matchesRegistered(wanted, await client.rest.get(route))) {
    log.info(where, `/${command.name} is registered already`);
    return;
  }
  await client.rest.put(route, { body: wanted });
  log.info(where, `registered /${command.name}`);
}
