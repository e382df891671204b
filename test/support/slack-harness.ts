import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { createSlackAdapter } from '../../adapters/slack/create-slack-adapter.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { parseConfig } from '../../src/config/load-config.js';
import { captureLogger } from '../fakes/capture-logger.js';
import { startAdapterCore } from './adapter-core.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../integration/docker/test-swarm.js';
import { blockActions, slashCommand } from '../stand-ins/slack/payloads.js';
import {
  createSignedClient,
  formBody,
  payloadBody,
  type SignedResponse,
} from '../stand-ins/slack/signed-client.js';
import { startSlackStandIn, type SlackStandIn } from '../stand-ins/slack/slack-stand-in.js';
import type { StoredMessage } from '../stand-ins/slack/slack-state.js';
import { startDockerBlackHole } from './docker-black-hole.js';
import { fixtureServices, infraEnv } from './infra.js';

export type SlackMode = 'socket' | 'http';

/** Slack ids of the config's people and the channels of its environments. */
export const SLACK = {
  alice: 'U01ALICE',
  bob: 'U02BOB',
  dave: 'U04DAVE',
  erin: 'U05ERIN',
  ops: 'C0OPS',
  fix: 'C0FIX',
  hung: 'C0HUNG',
  support: 'C0SUPPORT',
} as const;

const BOT_TOKEN = 'xoxb-111111111111-222222222222-standinbottoken';
const APP_TOKEN = 'xapp-1-A0STANDIN-333333333333-standinapptoken';
/** The HTTP-mode signing secret the harness configures (tests sign with it, or forge without it). */
export const SIGNING_SECRET = 'standin-signing-secret-8f1c2d';

/**
 * A service whose log is too long for one message: 400 distinct error lines (ids spelled in
 * letters, so no two collapse into one group), each with mentions and a password in it.
 */
const WORKER_SCRIPT = [
  'trap "exit 0" TERM',
  'i=0',
  'while [ $i -lt 400 ]; do w=$(echo $i | tr 0-9 a-j); echo "ERROR job $w failed: queue $w unavailable <!here> <@U999XYZ> password=pw$w-hunter"; i=$((i+1)); done',
  'echo "worker: all lines written"',
  'while true; do sleep 1; done',
].join('; ');

/** Web API retries fast enough for a test, with room for a 429 to be waited out. */
export const TEST_RETRY = { retries: 4, factor: 1, minTimeout: 50, maxTimeout: 50 };

function slackConfig(
  stack: string,
  services: readonly string[],
  dockerHost: string,
  hungHost: string,
): string {
  return `
command: tas
people:
  alice: { slack: ${SLACK.alice} }
  bob: { slack: ${SLACK.bob} }
  dave: { slack: ${SLACK.dave} }
  erin: { slack: ${SLACK.erin} }
roles:
  oncall: [alice, bob]
  lead: [dave, erin]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${dockerHost}" }
    services: [${services.join(', ')}]
    channels: { ops: { slack: ${SLACK.ops} } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
  fix:
    platform: swarm
    stack: tasfix
    docker: { host: "${dockerHost}" }
    services: [${fixtureServices.join(', ')}]
    channels: { ops: { slack: ${SLACK.fix} }, support: { slack: ${SLACK.support} } }
    policy: { read: [oncall, lead] }
  hung:
    platform: swarm
    stack: hung
    docker: { host: "${hungHost}", timeout: 10m }
    services: [backend]
    channels: { ops: { slack: ${SLACK.hung} } }
    policy: { read: [oncall, lead] }
`;
}

/** What the transport got back for one delivery: the ack. */
export interface Ack {
  readonly status: number;
  /** The ack's body (HTTP) or payload (Socket Mode); empty for a bare ack(). */
  readonly payload: unknown;
}

/**
 * The whole bot in-process, the real bolt App behind the Slack adapter, talking to the Slack
 * stand-in in one mode; the real core on the real swarm and Redis, with a stack and a Redis
 * prefix of its own.
 */
export async function startSlackHarness(mode: SlackMode, options: HarnessOptions = {}) {
  // What a failed start leaves behind (services on the shared swarm, servers) is undone.
  const undo: (() => Promise<unknown>)[] = [];
  try {
    return await buildSlackHarness(mode, options, undo);
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

export interface HarnessOptions {
  readonly drainMs?: number;
}

async function buildSlackHarness(
  mode: SlackMode,
  options: HarnessOptions,
  undo: (() => Promise<unknown>)[],
) {
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
  const slack: SlackStandIn = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  undo.push(() => slack.close());
  const hole = await startDockerBlackHole(() => slack.note('docker: connection held'));
  undo.push(() => hole.release());
  const redisUrl = process.env.REDIS_URL ?? infraEnv().redisUrl;
  const loaded = parseConfig(
    slackConfig(stack, Object.keys(services), testDockerHost(), hole.host),
    {},
  );
  if (!loaded.ok) throw new Error(`slack harness config: ${JSON.stringify(loaded.error)}`);
  const env = {
    REDIS_URL: redisUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    ...(mode === 'socket'
      ? { SLACK_APP_TOKEN: APP_TOKEN }
      : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
  };
  const envOptions = readEnvOptions(env);
  if (!envOptions.ok || envOptions.value.slack === undefined)
    throw new Error(`slack harness env: ${JSON.stringify(envOptions)}`);
  const { log, entries } = captureLogger();

  const core = await startAdapterCore({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log,
  });
  undo.push(() => core.close());
  const adapter = createSlackAdapter(core.host, {
    slack: envOptions.value.slack,
    command: 'tas',
    retryConfig: TEST_RETRY,
    log,
    ...(options.drainMs !== undefined && { drainMs: options.drainMs }),
  });

  let server: Server | undefined;
  let eventsUrl = '';
  const http = adapter.http;
  if (mode === 'http') {
    if (http === undefined) throw new Error('HTTP mode must expose the /slack/events handler');
    server = createServer((req, res) => {
      // Everything under /slack/ goes to the adapter, so its own answer for other paths shows.
      if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname.startsWith('/slack/'))
        http.handle(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${http.path}`;
    const listening = server;
    undo.push(() => new Promise<void>((resolve) => listening.close(() => resolve())));
  }
  undo.push(() => adapter.stop());
  await adapter.start();
  core.startWorkers();
  core.startDelivery([adapter]);

  const signed = createSignedClient({
    url: () => eventsUrl,
    signingSecret: SIGNING_SECRET,
    onResponse: (response) =>
      slack.state.record({ kind: 'http-ack', status: response.status, response: response.body }),
  });

  async function deliver(
    type: 'slash_commands' | 'interactive',
    body: Record<string, unknown>,
    retry: number,
  ): Promise<Ack> {
    if (mode === 'socket') {
      const sent = slack.socket.send(
        type,
        body,
        retry > 0 ? { retryAttempt: retry, retryReason: 'timeout' } : {},
      );
      const ack = await sent.acked;
      return { status: 200, payload: ack.payload ?? {} };
    }
    const raw =
      type === 'slash_commands' ? formBody(body as Record<string, string>) : payloadBody(body);
    const response: SignedResponse = await signed.send(raw, retry > 0 ? { retryNum: retry } : {});
    return {
      status: response.status,
      payload: response.body === '' ? {} : (JSON.parse(response.body) as unknown),
    };
  }

  /** The button of `verb` on a posted card, as Slack would send its click. */
  function buttonOn(
    message: StoredMessage,
    verb: 'approve' | 'reject',
  ): { action_id: string; value: string } {
    for (const block of message.blocks as {
      type?: string;
      elements?: { action_id: string; value: string }[];
    }[]) {
      const button =
        block.type === 'actions'
          ? block.elements?.find((e) => e.action_id.startsWith(`tas:${verb}:`))
          : undefined;
      if (button !== undefined) return button;
    }
    throw new Error(`no ${verb} button on message ${message.ts}: ${message.text}`);
  }

  return {
    mode,
    slack,
    core,
    adapter,
    docker,
    stack,
    hole,
    logs: entries,
    signed,
    get eventsUrl() {
      return eventsUrl;
    },
    /** Builds a slash command as Slack would send it; `deliver` sends (and re-sends) it. */
    command(user: string, text: string, channel: string = SLACK.ops): Record<string, string> {
      return slashCommand({ user, channel, text, responseUrl: slack.newResponseUrl() });
    },
    /** A click on the `verb` button of `message` by `user`. */
    click(
      user: string,
      message: StoredMessage,
      verb: 'approve' | 'reject',
    ): Record<string, unknown> {
      const button = buttonOn(message, verb);
      return blockActions({
        user,
        channel: message.channel,
        message,
        actionId: button.action_id,
        value: button.value,
        responseUrl: slack.newResponseUrl(),
      });
    },
    /** Sends a command; `retry` > 0 re-sends it as Slack's redelivery. */
    send: (fields: Record<string, string>, retry = 0) => deliver('slash_commands', fields, retry),
    press: (payload: Record<string, unknown>, retry = 0) => deliver('interactive', payload, retry),
    /** `/tas <text>` from `user` in `channel`: the ack and the fields sent. */
    async slash(
      user: string,
      text: string,
      channel: string = SLACK.ops,
    ): Promise<{ ack: Ack; fields: Record<string, string> }> {
      const fields = slashCommand({ user, channel, text, responseUrl: slack.newResponseUrl() });
      return { ack: await deliver('slash_commands', fields, 0), fields };
    },
    /** The first top-level message in `channel` after `afterSeq` whose text matches. */
    message(
      channel: string,
      match: RegExp,
      what = `a message matching ${match} in ${channel}`,
    ): Promise<StoredMessage> {
      return slack.waitFor(what, () =>
        slack.messages.find((m) => m.channel === channel && match.test(m.text)),
      );
    },
    async inspect(name: string) {
      return (await docker.getService(`${stack}_${name}`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
    },
    async close() {
      await hole.release().catch(() => undefined);
      await adapter.stop();
      await core.close();
      await new Promise<void>((resolve) =>
        server === undefined ? resolve() : server.close(() => resolve()),
      );
      await slack.close();
      await factory.removeAll();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;
