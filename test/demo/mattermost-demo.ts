// npm run demo -- --mattermost ["<command text>" …]: the bot, from its sources, against the
// local Mattermost stand-in, both on 127.0.0.1. Started by .ci/demo.sh with the demo config's
// path and a data directory; the stand-in's people and channels are the config's Mattermost
// ids, so the bot knows them. Types each command as alice in the ops channel and prints what
// the bot made the server show, then stops both.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { startMattermostStandIn } from '../stand-ins/mattermost/mattermost-stand-in.js';
import { newId } from '../stand-ins/mattermost/mattermost-state.js';
import { freePort, http, waitFor } from '../integration/production/process-support.js';

const [configPath = '', dataDir = '', ...typed] = process.argv.slice(2);
const commands = typed.length > 0 ? typed : ['status'];
const AS = 'alice';

function loadDemoConfig(): Config {
  const loaded = parseConfig(readFileSync(configPath, 'utf8'), {}, configPath);
  if (!loaded.ok) throw new Error(`demo config: ${JSON.stringify(loaded.error)}`);
  return loaded.value.config;
}

/** The users and channels the config names on Mattermost, for the stand-in to know. */
function directoryOf(config: Config) {
  const users = Object.entries(config.people).flatMap(([name, ids]) =>
    ids.mattermost === undefined ? [] : [{ id: ids.mattermost, username: name }],
  );
  const channels = Object.entries(config.environments).flatMap(([env, { channels }]) =>
    Object.entries(channels).flatMap(([key, ids]) =>
      ids.mattermost === undefined ? [] : [{ id: ids.mattermost, name: `${env}-${key}` }],
    ),
  );
  return { users, channels: [...new Map(channels.map((c) => [c.id, c])).values()] };
}

/** A post or ephemeral as a person would read it: the text, then the attachments' parts. */
function shown(post: { message: string; props: Record<string, unknown> }): string {
  const attachments = (post.props.attachments ?? []) as Record<string, unknown>[];
  const parts = attachments.flatMap((a) => [
    ...['pretext', 'title', 'text'].map((k) => a[k]).filter((v) => typeof v === 'string' && v),
    ...((a.fields ?? []) as { title?: string; value?: unknown }[]).map(
      (f) => `${f.title ?? ''}: ${String(f.value)}`,
    ),
    ...((a.actions ?? []) as { name?: string }[]).map((b) => `[ ${b.name ?? ''} ]`),
  ]);
  return [post.message, ...parts.map(String)].filter((t) => t !== '').join('\n');
}

const indent = (text: string) => text.replace(/^/gm, '    ');

async function main(): Promise<void> {
  const config = loadDemoConfig();
  const { users, channels } = directoryOf(config);
  const me = users.find((u) => u.username === AS);
  const ops = channels.find((c) => c.name.endsWith('-ops'));
  if (me === undefined || ops === undefined)
    throw new Error(`the demo config gives ${AS} no Mattermost id or no ops channel one`);
  const botToken = newId();
  const commandToken = newId();
  const standIn = await startMattermostStandIn({
    botToken,
    bot: { id: newId(), username: 'tas-bot', is_bot: true },
    users,
    channels,
    command: { trigger: config.command, token: commandToken },
  });
  const port = await freePort();
  standIn.setCommandUrl(`http://127.0.0.1:${port}/mattermost/command`);
  const logPath = join(dataDir, 'mattermost-bot.log');
  const log = createWriteStream(logPath);
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      TAS_CHATOPS_CONFIG: configPath,
      TAS_CHATOPS_DATA_DIR: dataDir,
      HTTP_HOST: '127.0.0.1',
      PORT: String(port),
      MATTERMOST_URL: standIn.url,
      MATTERMOST_TOKEN: botToken,
      MATTERMOST_COMMAND_TOKEN: commandToken,
      MATTERMOST_CALLBACK_URL: `http://127.0.0.1:${port}`,
    },
  });
  bot.stdout.pipe(log);
  bot.stderr.pipe(log);
  const exited = once(bot, 'exit');
  try {
    console.log(`Mattermost stand-in: ${standIn.url}; bot on 127.0.0.1:${port} (log: ${logPath})`);
    await waitFor('the bot connected to the Mattermost stand-in', async () => {
      const ready = await http(port, '/health/ready');
      const checks = (JSON.parse(ready.body) as { checks?: { name: string; ok: boolean }[] })
        .checks;
      return checks?.some((c) => c.name === 'mattermost' && c.ok) === true ? true : undefined;
    });
    const where = { me, ops, command: config.command, channels };
    for (const text of commands) await send(standIn, where, text);
  } finally {
    if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGTERM');
    await exited;
    await standIn.close();
  }
}

type StandIn = Awaited<ReturnType<typeof startMattermostStandIn>>;

/** Types `/<command> text`, waits until the bot's answers stop arriving, and prints them. */
async function send(
  standIn: StandIn,
  where: {
    readonly me: { id: string; username: string };
    readonly ops: { id: string; name: string };
    readonly command: string;
    readonly channels: readonly { id: string; name: string }[];
  },
  text: string,
): Promise<void> {
  const { me, ops } = where;
  const channel = (id: string) => where.channels.find((c) => c.id === id)?.name ?? id;
  const before = { posts: standIn.state.posts.length, ephemerals: standIn.state.ephemerals.length };
  const count = () => standIn.state.posts.length + standIn.state.ephemerals.length;
  console.log(`\n@${me.username} in ~${ops.name}: /${where.command} ${text}`);
  const answer = await standIn.slash(me.id, text, ops.id);
  console.log(`  the server answered the command: ${answer.status}`);
  // Answers arrive as posts after the acknowledgement; done once none came for a second.
  let seen = -1;
  await waitFor('an answer from the bot', async () => {
    const now = count();
    if (now > before.posts + before.ephemerals && now === seen) return true;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return undefined;
  });
  for (const post of standIn.state.posts.slice(before.posts))
    console.log(
      `  posted in ~${channel(post.channel_id)}${post.root_id ? ' (thread reply)' : ''}:\n${indent(shown(post))}`,
    );
  for (const ephemeral of standIn.state.ephemerals.slice(before.ephemerals))
    console.log(`  only @${me.username} sees:\n${indent(shown(ephemeral))}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
