import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEvent } from '../../../adapters/console/console-event.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { Reply } from '../../../src/core/reply.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery, type Delivered } from '../../fakes/fake-chat-delivery.js';
import {
  PLANTED_PEM_BODY,
  PLANTED_PEM_LINES,
  PLANTED_SECRETS,
  windowsOf,
} from '../../fixtures/hostile/planted-secrets.js';
import { freePort } from '../../support/free-port.js';
import { infraEnv, repoRoot } from '../../support/infra.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';

const run = promisify(execFile);

/** A config secret (interpolated into a probe header) that the service also logs. */
const CONFIGURED_SECRET = `cfg-${randomUUID().replaceAll('-', '')}`;
/**
 * Where, in the message, a logged configured secret (36 characters) starts. Excerpt lines are cut
 * at 500 characters (a 25-character timestamp, then 474 of the message), escalation report lines
 * at 400 (374 of the message): each secret crosses one of the cuts while its redaction marker
 * ends before it. Named by letters: the collapse key ignores digits.
 */
const CUT_OFFSETS = { a: 440, b: 452, c: 462, d: 345, e: 352, f: 362 };
/** The labels whose marker is still shown when lines are cut at `maxChars`. */
const shownAt = (maxChars: number) =>
  Object.entries(CUT_OFFSETS)
    .filter(([, offset]) => offset + '[REDACTED]'.length < maxChars - 26)
    .map(([label]) => label);
const DONE = 'leaky: all lines written';

function corpusLines(): string[] {
  const lines = PLANTED_SECRETS.map(({ kind, text }) => `ERROR planted[${kind}] ${text}`);
  for (const [label, offset] of Object.entries(CUT_OFFSETS)) {
    const head = `ERROR planted[configured-secret-at-cut-${label}] `;
    lines.push(`${head}${'x'.repeat(offset - head.length)}${CONFIGURED_SECRET} tail`);
  }
  return [...lines, ...PLANTED_PEM_LINES, DONE];
}

/** Every piece of text that must never appear anywhere the bot writes. */
const FORBIDDEN = [
  ...PLANTED_SECRETS.map(({ kind, secret }) => ({ kind, windows: windowsOf(secret) })),
  { kind: 'configured secret', windows: windowsOf(CONFIGURED_SECRET) },
  ...PLANTED_PEM_BODY.map((line, i) => ({ kind: `pem body line ${i}`, windows: windowsOf(line) })),
];

function expectNoLeak(where: string, text: string): void {
  for (const { kind, windows } of FORBIDDEN) {
    const leaked = windows.find((w) => text.includes(w));
    expect(leaked, `${kind} leaked into ${where}`).toBeUndefined();
  }
}

/** Each planted kind's line is shown, with a redaction marker where its secret was. */
function expectShownRedacted(where: string, lines: readonly string[], maxChars = 500): void {
  for (const { kind, shown } of PLANTED_SECRETS) {
    const line = lines.find((l) => l.includes(`planted[${kind}]`));
    expect(line, `${kind} line in ${where}`).toBeDefined();
    expect(line, `${kind} in ${where}`).toContain(shown);
  }
  for (const label of shownAt(maxChars)) {
    const line = lines.find((l) => l.includes(`planted[configured-secret-at-cut-${label}]`));
    expect(line, `configured secret at cut ${label} in ${where}`).toMatch(/x\[REDACTED[^\]]*\]/);
  }
}

function excerptLines(reply: Reply): string[] {
  const shown = reply.blocks.flatMap((b) => (b.kind === 'excerpt' ? b.lines : []));
  const files = (reply.attachments ?? []).flatMap((a) => a.content.split('\n'));
  return [...shown, ...files];
}

describe('a service that logs credentials of 38 kinds, a PEM key and a configured secret', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let core: App;
  let delivered: Delivered[];
  let configFile: string;
  const env = { LEAKY_TOKEN: CONFIGURED_SECRET };

  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    const stack = uniqueStack();
    const corpus = Buffer.from(`${corpusLines().join('\n')}\n`).toString('base64');
    await factory.create(`${stack}_leaky`, {
      script: `trap "exit 0" TERM; echo ${corpus} | base64 -d; while true; do sleep 1; done`,
    });
    await factory.untilLogged(`${stack}_leaky`, DONE);
    const probePort = await freePort();
    const text = `
command: tas
people: { alice: {}, sam: {} }
roles: { oncall: [alice], support: [sam] }
environments:
  prod:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [leaky]
    probes:
      - name: readiness
        url: http://127.0.0.1:${probePort}/ready
        headers: { X-Token: "\${LEAKY_TOKEN}" }
        service: leaky
        timeout: 2s
    channels: { ops: { console: ops }, support: { console: support } }
    policy: { read: [oncall, support], escalate: [oncall] }
    logs: { defaultSince: 1h }
`;
    const loaded = parseConfig(text, env);
    if (!loaded.ok) throw new Error(`config: ${JSON.stringify(loaded.error)}`);
    const envOptions = readEnvOptions({ REDIS_URL: infraEnv().redisUrl });
    if (!envOptions.ok) throw new Error(`env: ${JSON.stringify(envOptions.error)}`);
    const fake = fakeChatDelivery('console');
    delivered = fake.delivered;
    core = await createApp({
      loaded: loaded.value,
      envOptions: envOptions.value,
      log: captureLogger().log,
      deliveries: [fake.delivery],
      prefix: `t-${randomUUID().slice(0, 8)}`,
    });
    core.startWorkers();
    core.startDelivery();
    configFile = join(mkdtempSync(join(tmpdir(), 'tas-secrets-')), 'config.yml');
    writeFileSync(configFile, text);
  });
  afterAll(async () => {
    await core?.close();
    await factory?.removeAll();
  });

  const say = (text: string) => core.dispatcher.dispatch(consoleEvent(text, 'alice', 'ops'));

  it('shows every planted line in /tas logs with its secret redacted', async () => {
    const reply = await say('/tas logs leaky --grep planted');
    const lines = excerptLines(reply);
    expectShownRedacted('/tas logs', lines);
    expectNoLeak('/tas logs', JSON.stringify(reply));
  });

  it('redacts a PEM private key logged line by line as a whole block', async () => {
    // The user pattern matches the redacted text, so the key's lines are found by their marker.
    const reply = await say('/tas logs leaky --grep "PRIVATE KEY|REDACTED:private"');
    const lines = excerptLines(reply).filter((l) => l.includes('private'));
    expect(lines.join('\n')).toMatch(/\[REDACTED:private-key\]/);
    expectNoLeak('/tas logs (PEM)', JSON.stringify(reply));
  });

  it('lets no secret into the escalation summary, its Markdown report or its JSON report', async () => {
    await say('/tas escalate "planted secrets"');
    const deadline = Date.now() + 60_000;
    let bundle: Delivered | undefined;
    while (bundle === undefined && Date.now() < deadline) {
      bundle = delivered.find((d) => d.target.channelId === 'support');
      if (bundle === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (bundle === undefined) throw new Error('no escalation bundle reached the support channel');
    const markdown = bundle.reply.attachments?.find((a) => a.contentType === 'text/markdown');
    const json = bundle.reply.attachments?.find((a) => a.contentType === 'application/json');
    expect(markdown?.content).toContain('planted');
    const report = JSON.parse(json?.content ?? '{}') as {
      logs?: { service: string; lines: string[] }[];
    };
    const logLines = (report.logs ?? []).flatMap((l) => l.lines);
    expectShownRedacted('the JSON report', logLines, 400);
    expectShownRedacted('the Markdown report', markdown?.content.split('\n') ?? [], 400);
    expectNoLeak('the escalation bundle', JSON.stringify(bundle.reply));
  });

  it('prints no secret in tas-chatops run --json', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'run',
        '--as',
        'alice',
        '--json',
        '/tas logs leaky --grep planted',
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, TAS_CHATOPS_CONFIG: configFile, LOG_LEVEL: 'warn', ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const reply = JSON.parse(stdout) as Reply;
    expectShownRedacted('run --json', excerptLines(reply));
    expectNoLeak('run --json', stdout);
  });
});
