import type { EnvOptions } from '../config/env-options.js';
import type { Command } from '../core/command.js';
import type { AdapterHost, ChatAdapter } from '../core/ports/chat-adapter.js';

/**
 * The chat adapters the environment configures: Slack (Socket Mode or HTTP), Discord and
 * Mattermost. Each is loaded only when configured: bolt and discord.js are most of a process's
 * memory.
 */
export async function chatAdapters(
  host: AdapterHost,
  envOptions: EnvOptions,
  app: { readonly command: string; readonly commands: readonly Command[] },
): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (envOptions.slack !== undefined) {
    const { createSlackAdapter } = await import('../../adapters/slack/create-slack-adapter.js');
    adapters.push(createSlackAdapter(host, { slack: envOptions.slack, command: app.command }));
  }
  if (envOptions.discord !== undefined) {
    const { createDiscordAdapter } =
      await import('../../adapters/discord/create-discord-adapter.js');
    adapters.push(
      createDiscordAdapter(host, {
        discord: envOptions.discord,
        command: app.command,
        commands: app.commands,
      }),
    );
  }
  if (envOptions.mattermost !== undefined) {
    const { createMattermostAdapter } =
      await import('../../adapters/mattermost/create-mattermost-adapter.js');
    adapters.push(
      createMattermostAdapter(host, { mattermost: envOptions.mattermost, command: app.command }),
    );
  }
  return adapters;
}
