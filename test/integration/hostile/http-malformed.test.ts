import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, stopChild } from '../../support/child-process.js';
import { dockerSocketPath } from '../../support/infra.js';
import {
  malformedRequests,
  matches,
  sendRaw,
  type MalformedRequest,
} from '../../support/malformed-requests.js';
import { startSlackStandIn, type SlackStandIn } from '../../stand-ins/slack/slack-stand-in.js';
import { testDockerHost } from '../docker/test-swarm.js';
import {
  freePort,
  http,
  spawnBot,
  stop,
  waitFor,
  type Running,
} from '../production/process-support.js';

const BOT_TOKEN = 'xoxb-444444444444-555555555555-hostilehttptoken';
const APP_TOKEN = 'xapp-1-A0HOSTILE-666666666666-hostilehttpapptoken';
const SIGNING_SECRET = `hostile-http-${randomUUID()}`;

const corpus = malformedRequests({ signingSecret: SIGNING_SECRET, now: Date.now });

/** What a port sent back, for a failure message that shows the bytes' fate. */
const describeAnswer = (answer: { statuses: readonly number[]; closed: boolean }) =>
  `statuses ${JSON.stringify(answer.statuses)}${answer.closed ? ', closed' : ''}`;

/**
 * Sends headers one byte at a time, never finishing them, until the server closes the
 * connection; resolves with what the server wrote. The test's own timeout bounds the wait.
 */
function trickleHeaders(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const head = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Slow: y\r\n'.repeat(1000)}`;
    let received = '';
    let at = 0;
    const timer = setInterval(() => {
      if (socket.writable) socket.write(head.charAt(at % head.length));
      at += 1;
    }, 200);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
  });
}

/** Sends complete headers announcing a body, then a part of it, then nothing. */
function stallBody(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":`,
    );
  });
}

describe('the HTTP ports under hostile input', () => {
  let slack: SlackStandIn;
  let bot: Running | undefined;
  let botPort: number;
  let proxy: ChildProcess | undefined;
  let proxyPort: number;

  beforeAll(async () => {
    slack = await startSlackStandIn({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'tas-hostile-http-'));
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `command: tas
people:
  alice: { slack: U01ALICE }
roles:
  oncall: [alice]
environments:
  ops:
    platform: swarm
    stack: hostile-${randomUUID().slice(0, 8)}
    docker: { host: "${testDockerHost()}" }
    services: [backend]
    channels: { ops: { slack: C0OPS } }
    policy:
      read: [oncall]
`,
    );
    botPort = await freePort();
    bot = spawnBot(['start', '--no-worker'], {
      // No redis-server on this PATH and no REDIS_URL: the bot runs without Redis, which
      // leaves the HTTP surface, the subject here, exactly as it is with one.
      PATH: '/nonexistent',
      TAS_CHATOPS_CONFIG: config,
      TAS_CHATOPS_DATA_DIR: dir,
      PORT: String(botPort),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    // `/slack/events` is mounted once the Slack adapter started: an unsigned POST gets 401.
    await waitFor('the bot mounting /slack/events', async () => {
      const answer = await http(botPort, '/slack/events', 'POST', '{}');
      return answer.status === 401 ? answer : undefined;
    });
    proxyPort = await freePort();
    proxy = await startChild(
      process.execPath,
      ['--import', 'tsx', 'src/infra/http/socket-proxy-main.ts'],
      'socket proxy listening',
      {
        PATH: process.env.PATH,
        LISTEN: `127.0.0.1:${proxyPort}`,
        DOCKER_SOCKET: dockerSocketPath(),
        UPDATE_SERVICE_PREFIXES: `hostile-${randomUUID()}_`,
        LOG_LEVEL: 'info',
      },
    );
  });

  afterAll(async () => {
    await stop(bot, 'SIGKILL');
    if (proxy !== undefined) await stopChild(proxy, 'SIGKILL');
    await slack?.close();
  });

  it('holds at least 50 distinct requests to throw at each port', () => {
    expect(new Set(corpus.map((r) => r.name)).size).toBe(corpus.length);
    expect(corpus.filter((r) => r.bot.every((o) => o !== 200)).length).toBeGreaterThanOrEqual(50);
  });

  describe('the bot’s port (PORT, Slack HTTP mode)', () => {
    it.each(corpus.map((r) => [r.name, r] as const))(
      'refuses %s and goes on answering /health',
      async (_name, malformed: MalformedRequest) => {
        const answer = await sendRaw(botPort, malformed.bytes, malformed.bot.length);
        expect(
          matches(answer, malformed.bot),
          `expected ${JSON.stringify(malformed.bot)}, got ${describeAnswer(answer)}`,
        ).toBe(true);
        expect(bot?.child.exitCode).toBeNull();
        expect((await http(botPort, '/health')).status).toBe(200);
      },
    );

    it('routes an absolute-form target like its path', async () => {
      const answer = await sendRaw(
        botPort,
        Buffer.from('GET http://127.0.0.1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
        1,
      );
      expect(answer.statuses).toEqual([200]);
    });

    it('closes a connection whose headers trickle in and never end, answering 408', async () => {
      const received = await trickleHeaders(botPort);
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect((await http(botPort, '/health')).status).toBe(200);
    });

    it('closes a connection whose body stalls half-way', async () => {
      await stallBody(botPort, '/slack/events');
      expect(bot?.child.exitCode).toBeNull();
      expect((await http(botPort, '/health')).status).toBe(200);
    });

    it('logs no crash and keeps the process running after the whole corpus', () => {
      expect(bot?.child.exitCode).toBeNull();
      expect(bot?.output()).not.toMatch(/uncaught exception|unhandled promise rejection/i);
    });
  });

  describe('the socket proxy’s port', () => {
    it.each(corpus.map((r) => [r.name, r] as const))(
      'refuses %s and goes on answering /_ping from the Engine',
      async (_name, malformed: MalformedRequest) => {
        const answer = await sendRaw(proxyPort, malformed.bytes, malformed.proxy.length);
        expect(
          matches(answer, malformed.proxy),
          `expected ${JSON.stringify(malformed.proxy)}, got ${describeAnswer(answer)}`,
        ).toBe(true);
        expect(proxy?.exitCode).toBeNull();
        const ping = await http(proxyPort, '/_ping');
        expect([ping.status, ping.body]).toEqual([200, 'OK']);
      },
    );

    it('closes a connection whose headers trickle in and never end, answering 408', async () => {
      const received = await trickleHeaders(proxyPort);
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect((await http(proxyPort, '/_ping')).status).toBe(200);
    });

    it('closes a connection whose update body stalls half-way', async () => {
      await stallBody(proxyPort, `/v1.41/services/hostile-${randomUUID()}_x/update?version=1`);
      expect(proxy?.exitCode).toBeNull();
      expect((await http(proxyPort, '/_ping')).status).toBe(200);
    });
  });
});
