import type { ChatAction } from '../chat-event.js';
import type { Command } from '../command.js';
import type { Directory } from '../directory.js';
import type { DispatchContext, Middleware } from '../dispatch-context.js';
import { UserError } from '../errors.js';
import { pickEnvironment } from '../pick-environment.js';
import { parseArgs, type ParsedArgs } from '../parse/parse-args.js';
import { tokenize } from '../parse/tokenize.js';
import { didYouMean } from '../../lib/did-you-mean.js';

const ENV_FLAG = { name: 'env', type: 'string' } as const;

/**
 * A typed line or a button click → command, arguments and environment. Every command accepts
 * `--env NAME`; some take the environment as their first positional (`status prod`); otherwise
 * the one environment picker decides (channel, default, the only one).
 */
export function resolveCommand(
  commands: readonly Command[],
  directory: Directory,
  slash: string,
): Middleware {
  const byName = new Map(commands.map((command) => [command.name, command]));
  return (context, next) => {
    const { action, text } = context.event;
    const [name, rest] = action ? [action.verb, []] : splitCommand(text);
    const command = lookUp(byName, name, slash);
    context.command = command;
    const { args, asked } = action ? clicked(action, command, slash) : typed(rest, command, slash);
    context.args = args;
    if (command.needsEnvironment !== false)
      context.environment = environmentOf(context, directory, asked, slash);
    return next();
  };
}

interface ResolvedArgs {
  readonly args: ParsedArgs;
  /** The environment named explicitly (`--env`, or the leading positional), if any. */
  readonly asked: string | undefined;
}

function splitCommand(text: string): [string, string[]] {
  const tokens = tokenize(text);
  if (!tokens.ok) throw new UserError('USAGE', `I could not read that command: ${tokens.error}.`);
  const [name = 'help', ...rest] = tokens.value;
  return [name, rest];
}

function lookUp(byName: ReadonlyMap<string, Command>, name: string, slash: string): Command {
  const command = byName.get(name.toLowerCase());
  if (command !== undefined) return command;
  const guesses = didYouMean(name, [...byName.keys()]);
  throw new UserError(
    'UNKNOWN_COMMAND',
    `\`${slash} ${name}\` is not a command.${guesses.length ? ` Did you mean ${guesses.map((g) => `\`${slash} ${g}\``).join(' or ')}?` : ''}`,
    [`\`${slash} help\` lists what you can run.`],
  );
}

function typed(tokens: readonly string[], command: Command, slash: string): ResolvedArgs {
  const parsed = parseArgs(tokens, [...command.flags, ENV_FLAG]);
  if (!parsed.ok) throw usageError(slash, command, parsed.error);
  const { flags } = parsed.value;
  let positional = parsed.value.positional;
  let asked = typeof flags.env === 'string' ? flags.env : undefined;
  if (asked === undefined && command.environmentPositional && positional[0] !== undefined) {
    asked = positional[0];
    positional = positional.slice(1);
  }
  return { args: { positional, flags }, asked };
}

/**
 * A click carries its request id as data: it becomes the command's one positional as it is,
 * never text to tokenize, so an id no tokenizer could read (a space, a quote) still reaches the
 * vote whole and is answered there as the id it is.
 */
function clicked(action: ChatAction, command: Command, slash: string): ResolvedArgs {
  if (action.requestId.trim() === '')
    throw usageError(slash, command, 'that button names no request');
  return { args: { positional: [action.requestId], flags: {} }, asked: undefined };
}

/** The picker's answer, or the refusal that says which names would do. */
function environmentOf(
  context: DispatchContext,
  directory: Directory,
  asked: string | undefined,
  slash: string,
): string {
  const { platform, channelId } = context.event;
  const pick = pickEnvironment(directory, { asked, platform, channelId });
  switch (pick.kind) {
    case 'picked':
      return pick.name;
    case 'unknown':
      throw new UserError(
        'UNKNOWN_ENVIRONMENT',
        `There is no environment \`${pick.asked}\`.${pick.suggestions.length ? ` Did you mean ${pick.suggestions.map((g) => `\`${g}\``).join(' or ')}?` : ''}`,
        [`Environments: ${pick.known.join(', ')}.`],
      );
    case 'ambiguous':
      throw nameTheEnvironment(context, pick.candidates, slash);
    case 'none':
      throw new UserError('NO_ENVIRONMENT', 'Which environment? This channel belongs to none.', [
        `Add \`--env NAME\`; environments: ${pick.candidates.join(', ')}.`,
      ]);
  }
}

/** Which environment, in a channel that serves some but is none's command channel. */
function nameTheEnvironment(
  context: DispatchContext,
  served: readonly string[],
  slash: string,
): UserError {
  const typed = context.event.text.replace(/`/g, '').trim();
  const example = (env: string) => `\`${slash} ${typed === '' ? '' : `${typed} `}--env ${env}\``;
  return new UserError(
    'NO_ENVIRONMENT',
    `Which environment? This channel is not the command channel of any environment; it serves ${served.join(', ')}.`,
    [`Did you mean ${served.map(example).join(' or ')}?`],
  );
}

export function usageError(slash: string, command: Command, problem: string): UserError {
  return new UserError('USAGE', `${problem[0]?.toUpperCase() ?? ''}${problem.slice(1)}.`, [
    `Usage: \`${slash} ${command.usage}\``,
  ]);
}
