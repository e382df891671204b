import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandSpec } from '../../src/core/command.js';
import { commandOptions, optionName, type OptionSpec } from './command-options.js';

const TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
} as const;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function option(
  spec: OptionSpec,
  commandNames: readonly string[],
): APIApplicationCommandBasicOption {
  const base = {
    name: spec.name,
    description: cut(spec.description, 100),
    required: spec.required,
  };
  if (spec.type === 'boolean') return { ...base, type: ApplicationCommandOptionType.Boolean };
  if (spec.type === 'integer')
    return { ...base, type: ApplicationCommandOptionType.Integer, min_value: 0 };
  // `help [command]`: the few command names are fixed choices, the rest is free text.
  if (spec.name === 'command' && spec.kind === 'positional' && commandNames.length <= 25) {
    return {
      ...base,
      type: TYPES.string,
      choices: commandNames.map((name) => ({ name, value: name })),
    };
  }
  return { ...base, type: TYPES.string, ...(spec.autocomplete && { autocomplete: true }) };
}

/**
 * `/tas` as one chat-input command: a subcommand per CommandSpec (at most 25), each with
 * typed options, usable in guilds only (the bot acts on a server's channels, never in DMs).
 */
export function commandData(
  command: string,
  specs: readonly CommandSpec[],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const names = specs.map((s) => optionName(s.name));
  const subcommands: APIApplicationCommandSubcommandOption[] = specs.slice(0, 25).map((spec) => ({
    type: ApplicationCommandOptionType.Subcommand,
    name: optionName(spec.name),
    description: cut(spec.summary || spec.usage, 100),
    options: commandOptions(spec).map((o) => option(o, names)),
  }));
  return {
    type: ApplicationCommandType.ChatInput,
    name: command,
    description: 'Operate the stacks: status, logs, approved operations, audit',
    options: subcommands,
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}
