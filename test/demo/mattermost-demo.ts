// npm run demo -- --mattermost [step …]: the bot, from its sources, against the local Mattermost
// stand-in, both on 127.0.0.1. Started by .ci/demo.sh with the demo config's path and a data
// directory; the stand-in's people and channels are the config's Mattermost ids, so the bot
// knows them. Each step is command text typed in the ops channel (default: status; as alice
// until `--as NAME`) or `--click NAME:LABEL` (NAME clicks the button LABEL on the latest post
// that has one); it prints what the bot made the server show, then stops both. E.g.
//   npm run demo -- --mattermost status "restart tika" --click alice:Approve --click dave:Approve
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
const steps = typed.length > 0 ? typed : ['status'];
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
    const scene: Scene = { standIn, users, channels, ops, command: config.command, me };
    while (steps.length > 0) await step(scene, steps);
  } finally {
    if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGTERM');
    await exited;
    await standIn.close();
  }
}

type StandIn = Awaited<ReturnType<typeof startMattermostStandIn>>;
type User = { readonly id: string; readonly username: string };
type Channel = { readonly id: string; readonly name: string };

interface Scene {
  readonly standIn: StandIn;
  readonly users: readonly User[];
  readonly channels: readonly Channel[];
  readonly ops: Channel;
  readonly command: string;
  me: User;
}

/**
 * One argument after --mattermost: `--as NAME` types the next commands as NAME, `--click
 * NAME:LABEL` has NAME click the button LABEL on the latest post that has one, anything else is
 * command text typed in the ops channel.
 */
async function step(scene: Scene, args: string[]): Promise<void> {
  const arg = args.shift() ?? '';
  if (arg === '--as' || arg === '--click') {
    const value = args.shift() ?? '';
    const [name = '', label = ''] = value.split(':');
    const user = scene.users.find((u) => u.username === name);
    if (user === undefined) throw new Error(`${arg} ${value}: ${name} has no Mattermost id`);
    if (arg === '--as') scene.me = user;
    else await watch(scene, user, `clicks [ ${label} ]`, () => click(scene, user, label));
    return;
  }
  await watch(scene, scene.me, `in ~${scene.ops.name}: /${scene.command} ${arg}`, () =>
    scene.standIn.slash(scene.me.id, arg, scene.ops.id),
  );
}

function click(scene: Scene, user: User, label: string) {
  const withButton = scene.standIn.state.posts.flatMap((post) => {
    const actions = ((post.props.attachments ?? []) as { actions?: unknown[] }[]).flatMap(
      (a) => (a.actions ?? []) as { id: string; name?: string }[],
    );
    const action = actions.find((a) => a.name?.toLowerCase() === label.toLowerCase());
    return action === undefined ? [] : [{ post, action }];
  });
  const latest = withButton.at(-1);
  if (latest === undefined) throw new Error(`no post has a button labelled ${label}`);
  return scene.standIn.click(user.id, latest.post.id, latest.action.id);
}

/**
 * Does `act` as `user` and prints what the bot made the server show: new posts, posts edited in
 * place, and what only `user` sees. Answers arrive after the acknowledgement, so it waits until
 * none came for a second, and, once an operation started, until its verdict is in the thread.
 */
async function watch(
  scene: Scene,
  user: User,
  what: string,
  act: () => Promise<{ status: number }>,
): Promise<void> {
  const { state } = scene.standIn;
  const fingerprint = () =>
    `${state.posts.length}/${state.ephemerals.length}/${state.posts.reduce((n, p) => n + p.history.length, 0)}`;
  const before = { posts: state.posts.length, ephemerals: state.ephemerals.length };
  const initial = fingerprint();
  const edits = new Map(state.posts.map((p) => [p.id, p.history.length]));
  console.log(`\n@${user.username} ${what}`);
  console.log(`  the server answered: ${(await act()).status}`);
  let seen = '';
  await waitFor(
    'the bot to finish answering',
    async () => {
      const now = fingerprint();
      const fresh = state.posts.slice(before.posts).map((p) => p.message);
      const running =
        fresh.some((m) => /Started /.test(m)) &&
        !fresh.some((m) => /Verified:|Failed:|Did not /.test(m));
      if (now === seen && now !== initial && !running) return true;
      seen = now;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    },
    300_000,
  );
  const channel = (id: string) => scene.channels.find((c) => c.id === id)?.name ?? id;
  const name = (id: string) => scene.users.find((u) => u.id === id)?.username ?? id;
  for (const post of state.posts.slice(0, before.posts))
    if (post.history.length > (edits.get(post.id) ?? 0))
      console.log(`  edited in place in ~${channel(post.channel_id)}:\n${indent(shown(post))}`);
  for (const post of state.posts.slice(before.posts))
    console.log(
      `  posted in ~${channel(post.channel_id)}${post.root_id ? ' (thread reply)' : ''}:\n${indent(shown(post))}`,
    );
  for (const ephemeral of state.ephemerals.slice(before.ephemerals))
    console.log(`  only @${name(ephemeral.user_id)} sees:\n${indent(shown(ephemeral))}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
