import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEvent } from '../../../adapters/console/console-event.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { Reply } from '../../../src/core/reply.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery } from '../../fakes/fake-chat-delivery.js';
import { infraEnv } from '../../support/infra.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

const DONE = 'all lines written';

/** What each replica of `noisy` logs once: every level, a runbook pattern, repeats. */
const NOISY = [
  'INFO request 1 served',
  'DEBUG cache warm',
  'WARN slow query on orders',
  'ERROR payment 17 failed',
  'INFO user login alpha',
  'ERROR connect ECONNREFUSED 127.0.0.1:5432',
  'ERROR connect ECONNREFUSED 127.0.0.1:5432',
  'INFO request 2 served',
  'FATAL out of memory',
  'INFO user login beta',
  `INFO ${DONE}`,
];
/** `quiet` logs only routine lines: nothing of interest. */
const QUIET = [
  ...Array.from({ length: 10 }, (_, i) => `INFO heartbeat ${i} from $(hostname)`),
  `INFO ${DONE}`,
];

function script(lines: readonly string[]): string {
  // Each line through the shell, so `$(hostname)` tells the replicas apart.
  const echoes = lines.map((line) => `echo "${line}"`).join('; ');
  return `trap "exit 0" TERM; ${echoes}; while true; do sleep 1; done`;
}

/** Everything the chat shows of a reply: title, rows, texts, excerpt lines and attachments. */
function shownLines(reply: Reply): string[] {
  return [
    reply.title,
    ...reply.blocks.flatMap((b) => {
      if (b.kind === 'text') return [b.text];
      if (b.kind === 'rows') return b.rows.map((row) => `${row.label} ${row.value}`);
      if (b.kind === 'excerpt') return b.lines;
      return [];
    }),
    ...(reply.attachments ?? []).flatMap((a) => a.content.split('\n')),
  ];
}

async function untilEveryReplicaLogged(docker: Docker, name: string, replicas: number) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const logs = (await docker
      .getService(name)
      .logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    if (Buffer.from(logs).toString('utf8').split(DONE).length - 1 >= replicas) return;
    if (Date.now() > deadline) throw new Error(`${name}: not every replica logged ${DONE}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('/tas logs on the real swarm', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let core: App;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    const stack = uniqueStack();
    await factory.create(`${stack}_noisy`, { script: script(NOISY), replicas: 2 });
    await factory.create(`${stack}_quiet`, { script: script(QUIET), replicas: 2 });
    await untilEveryReplicaLogged(docker, `${stack}_noisy`, 2);
    await untilEveryReplicaLogged(docker, `${stack}_quiet`, 2);
    const loaded = parseConfig(
      `
command: tas
people: { alice: {} }
roles: { oncall: [alice] }
environments:
  prod:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [noisy, quiet]
    channels: { ops: { console: ops } }
    policy: { read: [oncall] }
    logs: { defaultSince: 1h }
`,
      {},
    );
    if (!loaded.ok) throw new Error(`config: ${JSON.stringify(loaded.error)}`);
    const envOptions = readEnvOptions({ REDIS_URL: infraEnv().redisUrl });
    if (!envOptions.ok) throw new Error(`env: ${JSON.stringify(envOptions.error)}`);
    core = await createApp({
      loaded: loaded.value,
      envOptions: envOptions.value,
      log: captureLogger().log,
      deliveries: [fakeChatDelivery('console').delivery],
      prefix: `t-${randomUUID().slice(0, 8)}`,
    });
  });
  afterAll(async () => {
    await core?.close();
    await factory?.removeAll();
  });

  const say = (text: string) => core.dispatcher.dispatch(consoleEvent(text, 'alice', 'ops'));

  describe('when --level error is given', () => {
    it('shows no line below error, and counts the error lines of both replicas', async () => {
      const reply = await say('/tas logs noisy --level error');
      const lines = shownLines(reply);

      expect(reply.title).toBe('noisy logs (last 1h): 8 of 22 lines at level ≥ error');
      expect(lines.join('\n')).toContain('ERROR payment 17 failed');
      expect(lines.join('\n')).toContain('FATAL out of memory');
      expect(lines.filter((line) => /\b(INFO|DEBUG|WARN)\b/.test(line))).toEqual([]);
    });
  });

  describe('when --grep is given', () => {
    it('counts and shows only the matching lines', async () => {
      const reply = await say('/tas logs noisy --grep login');
      const lines = shownLines(reply);

      expect(reply.title).toBe('noisy logs (last 1h): 4 of 22 lines match /login/');
      expect(lines.join('\n')).toContain('INFO user login alpha');
      // No pattern count, group or line of what does not match `login`.
      expect(
        lines.filter((line) => !/login/.test(line) && /ERROR|ECONNREFUSED|×/.test(line)),
      ).toEqual([]);
    });
  });

  describe('when a quiet service with two replicas is asked for its last lines', () => {
    it('shows the lines of both replicas, each labelled with its task', async () => {
      const reply = await say('/tas logs quiet --tail 50');
      const lines = reply.blocks.flatMap((b) => (b.kind === 'excerpt' ? b.lines : []));

      expect(reply.title).toBe('quiet logs (last 50 lines per task): 0 lines of interest in 22');
      expect(lines).toHaveLength(22);
      expect(lines.filter((line) => line.startsWith('quiet.1 | '))).toHaveLength(11);
      expect(lines.filter((line) => line.startsWith('quiet.2 | '))).toHaveLength(11);
      expect(lines.filter((line) => line.includes('INFO heartbeat 9 from'))).toHaveLength(2);
    });
  });
});
