import { Events, type Client } from 'discord.js';
import type { Logger } from '../../src/core/ports/logger.js';

/** The gateway connection's life in the bot log: errors, reconnects, resumes, a final close. */
export function logClientEvents(client: Client, log: Logger): void {
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
  client.on(Events.ShardError, (error) =>
    log.warn({ err: error }, 'Discord gateway connection error'),
  );
  client.on(Events.ShardReconnecting, () => log.info({}, 'Discord gateway reconnecting'));
  client.on(Events.ShardResume, (_id, replayed) =>
    log.info({ replayed }, 'Discord gateway session resumed'),
  );
  client.on(Events.ShardDisconnect, (event) =>
    log.error({ code: event.code }, 'Discord gateway closed for good; check the token and intents'),
  );
}
