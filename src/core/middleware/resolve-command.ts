import type { Command } from '../command.js';
import type { Directory } from '../directory.js';
import type { DispatchContext, Middleware } from '../dispatch-context.js';
import { UserError } from '../errors.js';
import { parseArgs } from '../parse/parse-args.js';
import { tokenize } from '../parse/tokenize.js';
import { didYouMean } from '../../lib/did-you-mean.js';

const ENV_FLAG = { name: 'env', type: 'string' } as const;

/**
 * Text → command, flags and environment. A button click is the same as typing
 * `approve <id>`, so both go through one path. Every command accepts `--env NAME`; some take
 * the environment as their first positional (`status prod`); otherwise the channel's
 * environment, then the configured default, then the only one there is.
 */
export function resolveCommand(
  commands: readonly Command[],
  directory: Directory,
  slash: string,
): Middleware {
  const byName = new Map(commands.map((command) => [command.name, command]));
  return (context, next) => {
    const { event } = context;
    const text = event.action ? `${event.action.verb} ${event.action.requestId}` : event.text;
    const tokens = tokenize(text);
    if (!tokens.ok) throw new UserError('USAGE', `I could not read that command: ${tokens.error}.`);
    const [name = 'help', ...rest] = tokens.value;
    const command = byName.get(name.toLowerCase());
    if (command === undefined) {
      const guesses = didYouMean(name, [...byName.keys()]);
      throw new UserError(
        'UNKNOWN_COMMAND',
        `\`${slash} ${name}\` is not a command.${guesses.length ? ` Did you mean ${guesses.map((g) => `\`${slash} ${g}\``).join(' or ')}?` : ''}`,
        [`\`${slash} help\` lists what you can run.`],
      );
    }
    context.command = command;
    const args = parseArgs(rest, [...command.flags, ENV_FLAG]);
    if (!args.ok) throw usageError(slash, command, args.error);

    let positional = args.value.positional;
    let environment = typeof args.value.flags.env === 'string' ? args.value.flags.env : undefined;
    if (environment === undefined && command.environmentPositional && positional[0] !== undefined) {
      environment = positional[0];
      positional = positional.slice(1);
    }
    context.args = { positional, flags: args.value.flags };
    if (command.needsEnvironment !== false)
      context.environment = pickEnvironment(context, directory, environment, slash);
    return next();
  };
}

function pickEnvironment(
  context: DispatchContext,
  directory: Directory,
  asked: string | undefined,
  slash: string,
): string {
  const names = directory.environmentNames();
  if (asked !== undefined) {
    if (names.includes(asked)) return asked;
    const guesses = didYouMean(asked, names);
    throw new UserError(
      'UNKNOWN_ENVIRONMENT',
      `There is no environment \`${asked}\`.${guesses.length ? ` Did you mean ${guesses.map((g) => `\`${g}\``).join(' or ')}?` : ''}`,
      [`Environments: ${names.join(', ')}.`],
    );
  }
  const { platform, channelId } = context.event;
  const fromChannel = directory.environmentForChannel(platform, channelId);
  if (fromChannel !== undefined) return fromChannel;
  const served = directory.environmentsOfChannel(platform, channelId);
  // A support channel shared by several environments: the default environment would be a
  // guess, and a wrong one could restart the wrong product.
  if (served.length > 0 && names.length > 1) throw nameTheEnvironment(context, served, slash);
  const chosen = directory.defaultEnvironment() ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined) {
    throw new UserError('NO_ENVIRONMENT', 'Which environment? This channel belongs to none.', [
      `Add \`--env NAME\`; environments: ${names.join(', ')}.`,
    ]);
  }
  return chosen;
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
