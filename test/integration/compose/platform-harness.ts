import { randomUUID } from 'node:crypto';
import { consoleEvent } from '../../../adapters/console/console-event.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { Reply } from '../../../src/core/reply.js';
import {
  createPlatformClients,
  type PlatformClientDefaults,
  type PlatformClients,
} from '../../../src/infra/create-platform-clients.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../../fakes/fake-chat-delivery.js';
import { infraEnv } from '../../support/infra.js';

/** The environment everything in these tests runs in; its channel is the console's `ops`. */
export const ENV = 'sys';

/**
 * The whole bot in-process, as test/support/ops-harness.ts builds it, but for one environment
 * of any platform: its platform and operator come from createPlatformClients (what createApp
 * calls), Redis is the real one with a unique prefix, workers and delivery run.
 *
 * `environment` is the YAML body of the environment (platform, stack, services, probes …),
 * indented by four spaces; the people, roles and a restart policy are added here.
 */
export async function startPlatformHarness(
  environment: string,
  defaults: PlatformClientDefaults = {},
) {
  const text = `
command: tas
people:
  alice: { slack: U01ALICE }
  dave: { slack: U04DAVE }
roles:
  oncall: [alice]
  lead: [dave]
environments:
  ${ENV}:
${environment}
    channels: { ops: { console: ops } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      scale: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      stop: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
`;
  const loaded = parseConfig(text, {});
  if (!loaded.ok) throw new Error(`harness config: ${JSON.stringify(loaded.error)}`);
  const envOptions = readEnvOptions({ REDIS_URL: process.env.REDIS_URL ?? infraEnv().redisUrl });
  if (!envOptions.ok) throw new Error(`harness env: ${JSON.stringify(envOptions.error)}`);
  const clients = new Map<string, PlatformClients>();
  const clientsFor = (name: string): PlatformClients => {
    const env = loaded.value.config.environments[name];
    if (env === undefined) throw new Error(`no environment ${name}`);
    const made = clients.get(name) ?? createPlatformClients(env, defaults);
    clients.set(name, made);
    return made;
  };
  const { delivery, delivered } = fakeChatDelivery('console');
  const { log, entries } = captureLogger();
  const core: App = await createApp({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log,
    deliveries: [delivery],
    prefix: `t-${randomUUID().slice(0, 8)}`,
    platformFor: (name) => clientsFor(name).platform,
    operatorFor: (name) => clientsFor(name).operator,
    timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
    lockDurationMs: 3000,
  });
  core.startWorkers();
  core.startDelivery();

  const say = (person: string, text: string): Promise<Reply> =>
    core.dispatcher.dispatch(consoleEvent(text, person, 'ops'));

  async function waitForMessage(
    what: string,
    match: (d: Delivered) => boolean,
    timeoutMs = 120_000,
  ): Promise<Delivered> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = delivered.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no message ${what} within ${timeoutMs}ms; got: ${delivered.map((d) => d.reply.title).join(' | ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** alice asks, dave approves; resolves with the verdict posted in the thread. */
  async function approved(command: string): Promise<{ card: Reply; verdict: Reply }> {
    const card = await say('alice', command);
    const id = card.card?.requestId;
    if (id === undefined)
      throw new Error(`not an approval card: ${card.title} ${JSON.stringify(card.blocks)}`);
    const approval = await say('dave', `/tas approve ${id}`);
    if (!approval.title.startsWith(`Approved ${id}`))
      throw new Error(`approval refused: ${approval.title}`);
    const verdict = await waitForMessage(
      `with the verdict of ${id}`,
      (d) =>
        /^(Verified|Failed): /.test(d.reply.title) &&
        JSON.stringify(d.reply.data ?? {}).includes(id),
    );
    return { card, verdict: verdict.reply };
  }

  return {
    core,
    delivered,
    logs: entries,
    say,
    approved,
    waitForMessage,
    async close() {
      await core.close();
    },
  };
}

export type PlatformHarness = Awaited<ReturnType<typeof startPlatformHarness>>;

/** Every text of a reply (title, rows, text blocks), for assertions that do not care about layout. */
export function textOf(reply: Reply): string {
  const parts: string[] = [reply.title];
  for (const block of reply.blocks) {
    switch (block.kind) {
      case 'rows':
        parts.push(...block.rows.map((row) => `${row.label}: ${row.value}`));
        break;
      case 'text':
        parts.push(block.text);
        break;
      case 'fields':
        parts.push(...block.fields.map((field) => `${field.label}: ${field.value}`));
        break;
      case 'excerpt':
        parts.push(...block.lines);
        break;
    }
  }
  for (const attachment of reply.attachments ?? []) parts.push(attachment.content);
  return parts.join('\n');
}

/** The value of one row (by label) in any rows block of a reply. */
export function rowValue(reply: Reply, label: string): string | undefined {
  for (const block of reply.blocks) {
    if (block.kind !== 'rows') continue;
    const row = block.rows.find((r) => r.label === label);
    if (row !== undefined) return row.value;
  }
  return undefined;
}
