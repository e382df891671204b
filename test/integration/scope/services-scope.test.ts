import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEvent } from '../../../adapters/console/console-event.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { Reply } from '../../../src/core/reply.js';
import type { StatusSnapshot } from '../../../src/diagnostics/status/status-snapshot.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../../fakes/fake-chat-delivery.js';
import { infraEnv } from '../../support/infra.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

const SHARED_SUPPORT = 'shared-support';

/**
 * Three environments over one stack, each listing part of it, all escalating to one support
 * channel: `shop` leaves the broken `oneoff` out on purpose, `generic` lists it.
 */
function configText(stack: string): string {
  const env = (services: string, ops: string) => `
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [${services}]
    channels: { ${ops}support: { console: ${SHARED_SUPPORT} } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }`;
  return `
command: tas
people:
  alice: { slack: U01ALICE }
  dave: { slack: U04DAVE }
roles:
  oncall: [alice]
  lead: [dave]
environments:
  shop:${env('worker, api', 'ops: { console: shop-ops }, ')}
  toucan:${env('api', 'ops: { console: toucan-ops }, ')}
  generic:${env('worker, oneoff', '')}
`;
}

const textOf = (reply: Reply) =>
  [reply.title, ...reply.blocks.map((b) => (b.kind === 'text' ? b.text : ''))].join('\n');

describe('an environment whose services list part of its stack, on the real swarm', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let core: App;
  let delivered: Delivered[];
  let stack: string;
  const say = (text: string, channel = 'shop-ops', person = 'alice') =>
    core.dispatcher.dispatch(consoleEvent(text, person, channel));
  const forceUpdate = async (name: string) =>
    (
      (await docker.getService(`${stack}_${name}`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      }
    ).Spec.TaskTemplate.ForceUpdate ?? 0;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    stack = uniqueStack();
    await factory.create(`${stack}_api`);
    await factory.create(`${stack}_worker`);
    await factory.create(`${stack}_oneoff`, {
      script: 'echo "oneoff: cannot reach the import source"; exit 1',
      restartDelayMs: 200,
    });
    const loaded = parseConfig(configText(stack), {});
    if (!loaded.ok) throw new Error(`config: ${JSON.stringify(loaded.error)}`);
    const envOptions = readEnvOptions({ REDIS_URL: process.env.REDIS_URL ?? infraEnv().redisUrl });
    if (!envOptions.ok) throw new Error(`env: ${JSON.stringify(envOptions.error)}`);
    const chat = fakeChatDelivery('console');
    delivered = chat.delivered;
    core = await createApp({
      loaded: loaded.value,
      envOptions: envOptions.value,
      log: captureLogger().log,
      deliveries: [chat.delivery],
      prefix: `t-${randomUUID().slice(0, 8)}`,
      watch: false,
    });
    core.startDelivery();
    // Both listed services run, and the unlisted one has failed: the Engine's own account.
    for (let i = 0; i < 120; i += 1) {
      const tasks = (await docker.listTasks({
        filters: { service: [`${stack}_oneoff`, `${stack}_api`, `${stack}_worker`] },
      })) as { ServiceID: string; Status: { State: string } }[];
      const failed = tasks.filter((t) => t.Status.State === 'failed').length;
      const running = tasks.filter((t) => t.Status.State === 'running').length;
      if (failed >= 2 && running >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    await factory?.removeAll();
  });

  describe('when a service it leaves out is broken', () => {
    it('is OK and names the unlisted services apart, in one line', async () => {
      const reply = await say('status');

      const data = reply.data as StatusSnapshot;
      expect(reply.title).toBe('shop: OK');
      expect(data.services.map((s) => [s.name, s.health])).toEqual([
        ['worker', 'ok'],
        ['api', 'ok'],
      ]);
      expect(data.unconfigured).toEqual(['oneoff']);
      expect(reply.blocks).toContainEqual({ kind: 'text', text: 'not configured: oneoff' });
      expect(JSON.stringify(reply.blocks)).not.toContain('cannot reach');
    });

    it('judges the same service when another environment lists it', async () => {
      const reply = await say('status generic');

      expect(reply.verdict).not.toBe('OK');
      expect((reply.data as StatusSnapshot).unconfigured).toEqual(['api']);
      expect(textOf(reply)).toContain('not configured: api');
    });

    it('refuses to restart it, and the Engine shows no forced update', async () => {
      const before = await forceUpdate('oneoff');

      const reply = await say('restart oneoff');
      const byFullName = await say(`restart ${stack}_oneoff`);

      expect(reply.title).toBe('`oneoff` is not a service of `shop`.');
      expect(reply.blocks).toEqual([{ kind: 'text', text: 'Services of `shop`: worker, api.' }]);
      expect(byFullName.title).toBe(`\`${stack}_oneoff\` is not a service of \`shop\`.`);
      expect(await forceUpdate('oneoff')).toBe(before);
      expect((await say('jobs')).title).toBe('No pending or running operations in shop.');
    });

    it('offers the listed service a typo was meant for', async () => {
      const reply = await say('restart workr');

      expect(reply.title).toBe('There is no service `workr` in `shop`. Did you mean `worker`?');
    });

    it('still opens a request for a listed service', async () => {
      const reply = await say('restart api');

      const id = reply.card?.requestId;
      expect(id).toBeDefined();
      expect((await say(`cancel ${id ?? ''}`)).title).toBe(
        `Cancelled ${id ?? ''}; nothing will run.`,
      );
    });

    it('reads its logs, which change nothing', async () => {
      const reply = await say('logs oneoff --since 10m');

      expect(reply.title).toMatch(/^oneoff logs/);
      expect(JSON.stringify(reply.blocks)).toContain('oneoff: cannot reach the import source');
    });
  });

  describe('in the support channel the three environments share', () => {
    it('asks which environment and offers each of them', async () => {
      const reply = await say('status', SHARED_SUPPORT);

      expect(reply.title).toMatch(/^Which environment\?/);
      expect(textOf(reply)).toContain(
        'Did you mean `/tas status --env shop` or `/tas status --env toucan` or `/tas status --env generic`?',
      );
    });

    it('runs a command that names its environment', async () => {
      const reply = await say('status --env toucan', SHARED_SUPPORT);

      expect(reply.title).toBe('toucan: OK');
    });

    it('receives the escalation of each environment', async () => {
      const asked = [
        await say('escalate "checkout fails"', 'shop-ops'),
        await say('escalate "search is slow"', 'toucan-ops'),
        await say('escalate --env generic "imports stopped"', 'shop-ops'),
      ];
      for (const reply of asked) expect(reply.title).toMatch(/^Escalated \w+ to support/);

      const deadline = Date.now() + 60_000;
      const posted = () =>
        delivered.filter((d) => d.kind === 'post' && d.target.channelId === SHARED_SUPPORT);
      while (posted().length < 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(posted().map((d) => d.reply.title.replace(/ is \w+:/, ' is …:'))).toEqual(
        expect.arrayContaining([
          'Escalation: shop is …: checkout fails',
          'Escalation: toucan is …: search is slow',
          'Escalation: generic is …: imports stopped',
        ]),
      );
    });
  });
});
