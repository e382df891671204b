import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../../fakes/fake-chat-delivery.js';
import { infraEnv } from '../../support/infra.js';
import { testDockerHost, uniqueStack } from '../docker/test-swarm.js';

const SHARED_SUPPORT = 'shared-support';
const ENVIRONMENTS = ['tripl', 'toucan', 'generic'];

/** Three watched environments whose listed service is not deployed, one support channel for all. */
function configText(stack: string): string {
  const env = (name: string) => `
  ${name}:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [api]
    channels: { ops: { console: ${name}-ops }, support: { console: ${SHARED_SUPPORT} } }
    policy: { read: [oncall] }
    watch: { every: 1s, escalateAfter: 1, confirm: 1 }`;
  return `
command: tas
people:
  alice: { slack: U01ALICE }
roles:
  oncall: [alice]
environments:${ENVIRONMENTS.map(env).join('')}
`;
}

describe('the watcher of three environments sharing one support channel, on the real swarm', () => {
  let core: App;
  let delivered: Delivered[];
  beforeAll(async () => {
    const loaded = parseConfig(configText(uniqueStack()), {});
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
    });
    core.startWorkers();
    core.startDelivery();
  });
  afterAll(async () => {
    await core?.close();
  });

  it('escalates each environment into that channel', async () => {
    const escalated = () =>
      ENVIRONMENTS.filter((name) =>
        delivered.some(
          (d) =>
            d.kind === 'post' &&
            d.target.channelId === SHARED_SUPPORT &&
            d.reply.title.startsWith(`Escalation: ${name} is DEGRADED: Detected by the watcher`),
        ),
      );
    const deadline = Date.now() + 90_000;
    while (escalated().length < ENVIRONMENTS.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));

    expect(escalated()).toEqual(ENVIRONMENTS);
    // Each environment's own notices stay in its ops channel.
    for (const name of ENVIRONMENTS)
      expect(
        delivered.some(
          (d) => d.target.channelId === `${name}-ops` && d.reply.title.startsWith(name),
        ),
      ).toBe(true);
  }, 120_000);
});
