import { configDirectory } from '../commands/config-directory.js';
import type { Config } from '../config/schema.js';
import { err, ok, type Result } from '../core/result.js';
import { pickEnvironment } from '../core/pick-environment.js';
import type { ProcessEnv } from './cli-io.js';

/** Who types at the console and in which environment's channel. */
export interface ConsoleIdentity {
  readonly person: string;
  readonly channel: string;
}

/**
 * The channel of a console that names no environment: none is configured under this name, so
 * every command asks which environment, as a chat channel of no environment would.
 */
const NO_ENVIRONMENT_CHANNEL = 'console';

/**
 * `--as`, else TAS_CHATOPS_AS, else the first lead (the console is the operator's own
 * terminal: default to someone who can do the most). The channel is the environment the one
 * environment picker chooses for `--env` (else the default, else the only one); an `--env`
 * that names no environment is an error to print.
 */
export function consoleIdentity(
  config: Config,
  asked: { readonly as?: string; readonly env?: string },
  env: ProcessEnv,
): Result<ConsoleIdentity> {
  const person = asked.as ?? env.TAS_CHATOPS_AS ?? firstPerson(config);
  const pick = pickEnvironment(configDirectory(config), {
    asked: asked.env,
    platform: 'console',
    channelId: NO_ENVIRONMENT_CHANNEL,
  });
  if (pick.kind === 'unknown') {
    const hint = pick.suggestions.length > 0 ? ` (did you mean ${pick.suggestions[0]}?)` : '';
    return err(`no environment ${pick.asked}${hint}; configured: ${pick.known.join(', ')}`);
  }
  return ok({ person, channel: pick.kind === 'picked' ? pick.name : NO_ENVIRONMENT_CHANNEL });
}

function firstPerson(config: Config): string {
  const lead = config.roles.lead?.[0];
  return lead ?? Object.keys(config.people)[0] ?? 'operator';
}
