import { err, ok, type Result } from '../core/result.js';

export type CliCommand =
  | {
      readonly name: 'start';
      readonly worker: boolean;
      readonly as?: string;
      readonly env?: string;
    }
  | { readonly name: 'worker' }
  | { readonly name: 'check' }
  | { readonly name: 'audit-verify' }
  | {
      readonly name: 'run';
      readonly as?: string;
      readonly env?: string;
      readonly json: boolean;
      readonly text: string;
    }
  | { readonly name: 'help' };

export const CLI_USAGE = `Usage: tas-chatops <command>

  start [--no-worker] [--as PERSON] [--env ENV]
                       the bot: chat adapters, HTTP endpoints and workers; with no chat
                       tokens configured, an interactive console chat
  worker               workers only (next to the Docker host; reaches Redis outbound)
  check                validate the config and list every problem at once
  audit verify         check the audit trail's hash chain
  run [--as PERSON] [--env ENV] [--json] "<command text>"
                       one command through the console adapter; prints the reply, exits

Environment: TAS_CHATOPS_CONFIG (config file), REDIS_URL, SLACK_BOT_TOKEN, SLACK_APP_TOKEN,
SLACK_SIGNING_SECRET, SLACK_API_URL, DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL,
MATTERMOST_URL, MATTERMOST_TOKEN, MATTERMOST_COMMAND_TOKEN, MATTERMOST_CALLBACK_URL,
DOCKER_HOST, PORT, LOG_LEVEL (in the console chat: the level of its log file),
TAS_CHATOPS_DATA_DIR (embedded Redis data and the console chat's console.log).`;

/** argv → what to do. Exit codes are decided by the caller: 2 for usage errors. */
export function parseCliArgs(argv: readonly string[]): Result<CliCommand> {
  const [name, ...rest] = argv;
  const options: { as?: string; env?: string; json: boolean; worker: boolean; text: string[] } = {
    json: false,
    worker: true,
    text: [],
  };
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    const value = (): string | undefined =>
      arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
    const flag = arg.split('=')[0];
    if (flag === '--as' || flag === '--env') {
      const v = value();
      if (v === undefined || v === '') return err(`${flag} needs a value`);
      options[flag === '--as' ? 'as' : 'env'] = v;
    } else if (arg === '--json') options.json = true;
    else if (arg === '--no-worker') options.worker = false;
    else if (arg === '--help' || arg === '-h') return ok({ name: 'help' });
    else if (arg.startsWith('--') && name !== 'run') return err(`unknown option ${arg}`);
    else options.text.push(arg);
  }
  const who = {
    ...(options.as !== undefined && { as: options.as }),
    ...(options.env !== undefined && { env: options.env }),
  };
  switch (name) {
    case 'start':
      return ok({ name: 'start', worker: options.worker, ...who });
    case 'worker':
      return ok({ name: 'worker' });
    case 'check':
      return ok({ name: 'check' });
    case 'audit':
      return options.text[0] === 'verify'
        ? ok({ name: 'audit-verify' })
        : err('usage: tas-chatops audit verify');
    case 'run': {
      const text = options.text.join(' ').trim();
      if (text === '') return err('run needs the command text, e.g. tas-chatops run "/tas status"');
      return ok({ name: 'run', json: options.json, text, ...who });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return ok({ name: 'help' });
    default:
      return err(`unknown command ${name}`);
  }
}
