import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serve } from '../../../src/app/serve.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { ChatAdapter } from '../../../src/core/ports/chat-adapter.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { freePort } from '../../support/free-port.js';

const CONFIG = `
people: { ops: {} }
roles: { oncall: [ops] }
environments:
  shop:
    platform: swarm
    stack: shop
    docker: { host: "tcp://127.0.0.1:1" }
    services: [api]
    policy: { read: [oncall] }
`;

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A chat adapter that only records its lifecycle; `stop` waits until `release` is called. */
function recordingAdapter() {
  const events: string[] = [];
  let release: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (release = resolve));
  const adapter: ChatAdapter = {
    platform: 'slack',
    post: () => Promise.resolve({ ref: 'm1' }),
    update: () => Promise.resolve(),
    start: () => {
      events.push('start');
      return Promise.resolve();
    },
    stop: async () => {
      events.push('stop');
      await stopped;
    },
    connected: () => true,
  };
  return { adapter, events, release };
}

async function startServing() {
  const port = await freePort();
  const loaded = parseConfig(CONFIG, {});
  const envOptions = readEnvOptions({ PORT: String(port), HTTP_HOST: '127.0.0.1' });
  if (!loaded.ok || !envOptions.ok) throw new Error('serve test: bad config');
  const signals = new EventEmitter();
  const exits: number[] = [];
  const chat = recordingAdapter();
  const stdio = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  const served = serve({
    mode: { name: 'start', worker: true },
    loaded: loaded.value,
    envOptions: envOptions.value,
    // No REDIS_URL and no redis-server on this PATH: status and logs only.
    searchPath: '',
    log: captureLogger().log,
    io: stdio,
    hooks: {
      adapters: () => [chat.adapter],
      signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
      exit: (code) => exits.push(code),
    },
  });
  const ready = async () => {
    for (;;) {
      if ((await getStatus(port, '/health/ready').catch(() => 0)) === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { port, served, signals, exits, chat, ready };
}

describe('serve', () => {
  describe('when SIGTERM arrives once the bot is up', () => {
    it('turns unready, stops the chat adapter and resolves with exit code 0', async () => {
      const bot = await startServing();
      await bot.ready();
      expect(bot.chat.events).toEqual(['start']);
      bot.signals.emit('SIGTERM', 'SIGTERM');
      await expect.poll(() => bot.chat.events).toEqual(['start', 'stop']);
      expect(await getStatus(bot.port, '/health/ready')).toBe(503);
      bot.chat.release();
      expect(await bot.served).toBe(0);
      expect(bot.exits).toEqual([]);
      await expect(getStatus(bot.port, '/health')).rejects.toThrow();
    });
  });

  describe('when a second signal arrives during the shutdown', () => {
    it('calls the injected exit with 130 instead of ending the test process', async () => {
      const bot = await startServing();
      await bot.ready();
      bot.signals.emit('SIGTERM', 'SIGTERM');
      await expect.poll(() => bot.chat.events).toEqual(['start', 'stop']);
      bot.signals.emit('SIGINT', 'SIGINT');
      expect(bot.exits).toEqual([130]);
      bot.chat.release();
      expect(await bot.served).toBe(0);
    });
  });
});
