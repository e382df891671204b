import type { Command } from '../command.js';
import type { Directory } from '../directory.js';
import type { DispatchContext, Middleware } from '../dispatch-context.js';
import { UserError } from '../errors.js';
import { pickEnvironment } from '../pick-environment.js';
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
      context.environment = environmentOf(context, directory, environment, slash);
    return next();
  };
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
