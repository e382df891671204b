import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { createMattermostAdapter } from '../../adapters/mattermost/create-mattermost-adapter.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import { captureLogger } from '../fakes/capture-logger.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../integration/docker/test-swarm.js';
import { actionsOf } from '../stand-ins/mattermost/integrations.js';
import { newId, type StoredPost } from '../stand-ins/mattermost/mattermost-state.js';
import {
  startMattermostStandIn,
  type MattermostStandIn,
} from '../stand-ins/mattermost/mattermost-stand-in.js';
import { startAdapterCore } from './adapter-core.js';
import { startDockerBlackHole } from './docker-black-hole.js';
import { fixtureServices, infraEnv } from './infra.js';

/** Mattermost ids (26 lowercase letters and digits) of the config's people and channels. */
export const MM = {
  bot: newId(),
  alice: newId(),
  bob: newId(),
  dave: newId(),
  erin: newId(),
  ops: newId(),
  fix: newId(),
  hung: newId(),
  support: newId(),
} as const;

const BOT_TOKEN = 'standinbottoken' + newId().slice(0, 11);
export const COMMAND_TOKEN = newId();

/**
 * A service whose log is too long for one post: 400 distinct error lines (ids spelled in
 * letters, so no two collapse into one group), each with every kind of Mattermost mention and a
 * password in it.
 */
const WORKER_SCRIPT = [
  'trap "exit 0" TERM',
  'i=0',
  'while [ $i -lt 400 ]; do w=$(echo $i | tr 0-9 a-j); echo "ERROR job $w failed: queue $w unavailable @here @channel @all @alice ~ops password=pw$w-hunter"; i=$((i+1)); done',
  'echo "worker: all lines written"',
  'while true; do sleep 1; done',
].join('; ');

function mattermostConfig(
  stack: string,
  services: readonly string[],
  dockerHost: string,
  hungHost: string,
): string {
  return `
command: tas
people:
  alice: { mattermost: ${MM.alice} }
  bob: { mattermost: ${MM.bob} }
  dave: { mattermost: ${MM.dave} }
  erin: { mattermost: ${MM.erin} }
roles:
  oncall: [alice, bob]
  lead: [dave, erin]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${dockerHost}" }
    services: [${services.join(', ')}]
    channels: { ops: { mattermost: ${MM.ops} } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
  fix:
    platform: swarm
    stack: tasfix
    docker: { host: "${dockerHost}" }
    services: [${fixtureServices.join(', ')}]
    channels: { ops: { mattermost: ${MM.fix} }, support: { mattermost: ${MM.support} } }
    policy: { read: [oncall, lead] }
  hung:
    platform: swarm
    stack: hung
    docker: { host: "${hungHost}", timeout: 10m }
    services: [backend]
    channels: { ops: { mattermost: ${MM.hung} } }
    policy: { read: [oncall, lead] }
`;
}

/** A message as a person reads it: zero-width spaces gone, Markdown escapes and bold undone. */
export function readable(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\*\*/g, '');
}

/** The first line of a post as read, without the status emoji and tag it may start with (`🟢 [OK] `). */
export function headline(text: string): string {
  return (readable(text).split('\n')[0] ?? '').replace(
    /^\p{Extended_Pictographic}\uFE0F?\s+(\[[A-Z]+\]\s+)?/u,
    '',
  );
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The whole bot in-process behind the Mattermost adapter, on a local HTTP server the stand-in
 * calls for commands and clicks; the real core on the real swarm and Redis, with a stack and a
 * Redis prefix of its own.
 */
export async function startMattermostHarness() {
  const undo: (() => Promise<unknown>)[] = [];
  try {
    return await buildMattermostHarness(undo);
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

async function buildMattermostHarness(undo: (() => Promise<unknown>)[]) {
  const docker: Docker = await connectTestSwarm();
  const stack = uniqueStack();
  const services = { backend: 1, frontend: 1, worker: 1 };
  const factory = serviceFactory(docker);
  undo.push(() => factory.removeAll());
  for (const [name, replicas] of Object.entries(services)) {
    const script =
      name === 'worker'
        ? WORKER_SCRIPT
        : `trap "exit 0" TERM; echo "${name} up"; while true; do sleep 1; done`;
    await factory.create(`${stack}_${name}`, { replicas, script });
  }
  await factory.untilLogged(`${stack}_worker`, 'worker: all lines written');

  const mm: MattermostStandIn = await startMattermostStandIn({
    botToken: BOT_TOKEN,
    bot: { id: MM.bot, username: 'tas', is_bot: true },
    users: [
      { id: MM.alice, username: 'alice' },
      { id: MM.bob, username: 'bob' },
      { id: MM.dave, username: 'dave' },
      { id: MM.erin, username: 'erin' },
    ],
    channels: [
      { id: MM.ops, name: 'ops' },
      { id: MM.fix, name: 'tas-fix' },
      { id: MM.hung, name: 'hung' },
      { id: MM.support, name: 'support' },
    ],
    groups: ['developers'],
    command: { trigger: 'tas', token: COMMAND_TOKEN },
  });
  undo.push(() => mm.close());

  // The server listens before the adapter exists: its URL is the adapter's callback URL.
  const bound: { adapter?: ChatAdapter } = {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/mattermost/') && bound.adapter?.http !== undefined)
      bound.adapter.http.handle(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  const botUrl = await listen(server);
  undo.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  mm.setCommandUrl(`${botUrl}/mattermost/command`);
  const hole = await startDockerBlackHole(() => mm.note('docker: connection held'));
  undo.push(() => hole.release());

  const loaded = parseConfig(
    mattermostConfig(stack, Object.keys(services), testDockerHost(), hole.host),
    {},
  );
  if (!loaded.ok) throw new Error(`mattermost harness config: ${JSON.stringify(loaded.error)}`);
  const envOptions = readEnvOptions({
    REDIS_URL: process.env.REDIS_URL ?? infraEnv().redisUrl,
    MATTERMOST_URL: mm.url,
    MATTERMOST_TOKEN: BOT_TOKEN,
    MATTERMOST_COMMAND_TOKEN: COMMAND_TOKEN,
    MATTERMOST_CALLBACK_URL: botUrl,
  });
  if (!envOptions.ok || envOptions.value.mattermost === undefined)
    throw new Error(`mattermost harness env: ${JSON.stringify(envOptions)}`);
  const { log, entries } = captureLogger();
  const core = await startAdapterCore({ loaded: loaded.value, envOptions: envOptions.value, log });
  undo.push(() => core.close());
  const started = createMattermostAdapter(core.host, {
    mattermost: envOptions.value.mattermost,
    command: 'tas',
  });
  bound.adapter = started;
  undo.push(() => started.stop());
  await started.start();
  core.startWorkers();
  core.startDelivery([started]);

  /** The button of `verb` on a card, as the server keeps it (with its integration). */
  function buttonOn(post: StoredPost, verb: 'approve' | 'reject'): string {
    const label = verb === 'approve' ? 'Approve' : 'Reject';
    const action = actionsOf(post).find((a) => a.name === label);
    if (typeof action?.id !== 'string')
      throw new Error(`no ${label} button on post ${post.id}: ${post.message}`);
    return action.id;
  }

  return {
    mm,
    core,
    adapter: started,
    docker,
    stack,
    hole,
    botUrl,
    logs: entries,
    /** `/tas <text>` typed by `user` in `channel`, as the server sends it. */
    slash: (user: string, text: string, channel: string = MM.ops, extra?: { token?: string }) =>
      mm.slash(user, text, channel, extra),
    /** A click on the `verb` button of `post` by `user`, through the server. */
    click: (user: string, post: StoredPost, verb: 'approve' | 'reject') =>
      mm.click(user, post.id, buttonOn(post, verb)),
    buttonOn,
    /** The first root post in `channel` whose headline matches. */
    message(
      channel: string,
      match: RegExp,
      what = `a post matching ${match}`,
    ): Promise<StoredPost> {
      return mm.waitFor(what, () =>
        mm.postsIn(channel).find((p) => p.root_id === '' && match.test(headline(p.message))),
      );
    },
    async inspect(name: string) {
      return (await docker.getService(`${stack}_${name}`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
    },
    async close() {
      await hole.release().catch(() => undefined);
      await started.stop();
      await core.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mm.close();
      await factory.removeAll();
    },
  };
}

export type MattermostHarness = Awaited<ReturnType<typeof startMattermostHarness>>;
