import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { parseConfig } from '../../src/config/load-config.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { consoleEvent } from '../../adapters/console/console-event.js';
import type { Reply } from '../../src/core/reply.js';
import { createApp, type App } from '../../src/app/create-app.js';
import { captureLogger } from '../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../fakes/fake-chat-delivery.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../integration/docker/test-swarm.js';
import { infraEnv } from './infra.js';

export interface OpsHarnessOptions {
  /** Extra YAML under `policy:` (indented 6 spaces), replacing the default restart policy. */
  readonly policy?: string;
  readonly redisUrl?: string;
  /** Services created for the test stack, with their replica counts. */
  readonly services?: Readonly<Record<string, number>>;
  readonly startWorkers?: boolean;
}

const DEFAULT_POLICY = `
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m, breakGlass: [lead] }
      scale: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 2s }
      stop: { request: [oncall, lead], approve: [lead], approvals: 2, expires: 15m }
      start: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }`;

export function configText(
  stack: string,
  services: readonly string[],
  policy = DEFAULT_POLICY,
): string {
  return `
command: tas
people:
  alice: { slack: U01ALICE }
  bob: { slack: U02BOB }
  dave: { slack: U04DAVE }
  erin: { slack: U05ERIN }
roles:
  oncall: [alice, bob]
  lead: [dave, erin]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [${services.join(', ')}]
    channels: { ops: { console: ops-channel } }
    policy:${policy}
`;
}

/**
 * The whole bot in-process against the real swarm and the real Redis: a stack of its own, a
 * unique Redis prefix, workers and the notification consumer running, every chat message kept.
 */
export async function startOpsHarness(options: OpsHarnessOptions = {}) {
  const docker: Docker = await connectTestSwarm();
  const stack = uniqueStack();
  const services = options.services ?? { 'backend-cron': 1, backend: 1, frontend: 2 };
  const factory = serviceFactory(docker);
  for (const [name, replicas] of Object.entries(services)) {
    await factory.create(`${stack}_${name}`, {
      replicas,
      script: `trap "exit 0" TERM; echo "${name} up"; while true; do sleep 1; done`,
    });
  }
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? infraEnv().redisUrl;
  const loaded = parseConfig(configText(stack, Object.keys(services), options.policy), {});
  if (!loaded.ok) throw new Error(`harness config: ${JSON.stringify(loaded.error)}`);
  const envOptions = readEnvOptions({ REDIS_URL: redisUrl });
  if (!envOptions.ok) throw new Error(`harness env: ${JSON.stringify(envOptions.error)}`);
  const { delivery, delivered } = fakeChatDelivery('console');
  const { log, entries } = captureLogger();
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const core: App = await createApp({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log,
    deliveries: [delivery],
    prefix,
    timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
    lockDurationMs: 3000,
  });
  if (options.startWorkers !== false) core.startWorkers();
  core.startDelivery();

  const say = (person: string, text: string): Promise<Reply> =>
    core.dispatcher.dispatch(consoleEvent(text, person, 'ops'));

  /** Polls the delivered messages until one matches; fails naming what it waited for. */
  async function waitForMessage(
    what: string,
    match: (d: Delivered) => boolean,
    timeoutMs = 120_000,
  ): Promise<Delivered> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = delivered.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no message ${what} within ${timeoutMs}ms; got: ${delivered.map((d) => d.reply.title).join(' | ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const inspect = async (name: string) =>
    (await docker.getService(`${stack}_${name}`).inspect()) as {
      Spec: {
        TaskTemplate: { ForceUpdate?: number; ContainerSpec: { Image: string } };
        Mode: { Replicated: { Replicas: number } };
      };
    };
  const runningTasks = async (name: string) =>
    (
      (await docker.listTasks({
        filters: { service: [`${stack}_${name}`], 'desired-state': ['running'] },
      })) as { ID: string; Status: { State: string } }[]
    )
      .filter((t) => t.Status.State === 'running')
      .map((t) => t.ID);

  return {
    core,
    docker,
    stack,
    prefix,
    redisUrl,
    delivered,
    logs: entries,
    say,
    waitForMessage,
    inspect,
    runningTasks,
    configText: () => configText(stack, Object.keys(services), options.policy),
    async close() {
      await core.close();
      await factory.removeAll();
    },
  };
}

export type OpsHarness = Awaited<ReturnType<typeof startOpsHarness>>;

/** The request id an approval card carries. */
export function requestIdOf(reply: Reply): string {
  const id = reply.card?.requestId;
  if (id === undefined) throw new Error(`not an approval card: ${reply.title}`);
  return id;
}

/** The rows of a reply's first rows block (an approval card's "What will change"). */
export function rowsOf(reply: Reply): readonly { label: string; value: string }[] {
  const block = reply.blocks.find((b) => b.kind === 'rows');
  if (block?.kind !== 'rows') throw new Error(`no rows in: ${reply.title}`);
  return block.rows;
}
