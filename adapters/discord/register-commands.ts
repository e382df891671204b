import { createHash } from 'node:crypto';
import { Routes, type Client } from 'discord.js';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';
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

/** How long one process's registration of a given command set keeps the others from sending it. */
const REGISTRATION_CLAIM_MS = 60_000;

/**
 * Registers `/<command>` with one subcommand per spec: in `guildId` when set (instant), else
 * globally. Every bot process runs this at start, so the registered commands are read first
 * and the PUT (which replaces the application's commands in that scope) goes out only when they
 * differ, and only from the process that claims this exact command set in the shared ledger:
 * processes starting together send it once. Should the ledger not be shared (no Redis), they
 * at worst send the same PUT twice, which Discord answers with the same commands.
 */
export async function registerCommands(
  client: Client,
  scope: { readonly applicationId: string; readonly guildId?: string | undefined },
  command: { readonly name: string; readonly specs: readonly CommandSpec[] },
  deps: { readonly log: Logger; readonly ledger: DeliveryLedger },
): Promise<void> {
  const { log, ledger } = deps;
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
  const digest = createHash('sha256')
    .update(`${route} ${JSON.stringify(wanted)}`)
    .digest('hex');
  if (!(await ledger.claim(`discord:commands:${digest}`, REGISTRATION_CLAIM_MS))) {
    log.info(where, `/${command.name} is being registered by another bot process`);
    return;
  }
  await client.rest.put(route, { body: wanted });
  log.info(where, `registered /${command.name}`);
}
