import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { redisDurabilityLine } from '../../../src/infra/redis/redis-durability-line.js';
import {
  watchRedisDurability,
  type DurabilityWatch,
} from '../../../src/infra/redis/redis-durability-watch.js';
import { freePort } from '../../support/free-port.js';
import { startChild, stopChild } from '../../support/child-process.js';

/** A private redis-server without AOF: what the watch and `check` must warn about. */
function startRdbOnlyRedis(dir: string, port: number): Promise<ChildProcess> {
  return startChild(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'no'],
    'Ready to accept connections',
  );
}

/** A valid config whose Engine is out of reach (`check` says so and goes on). */
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

async function eventually<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const value = read();
    if (done(value) || attempt > 150) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the Redis durability watch', () => {
  let server: ChildProcess;
  let redis: Redis;
  let watch: DurabilityWatch;
  let url: string;
  let port: number;
  let dir: string;
  let restarts = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tas-durability-'));
    port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    server = await startRdbOnlyRedis(dir, port);
    redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    watch = watchRedisDurability({
      redis,
      log: silentLogger,
      everyMs: 100,
      onRestart: () => {
        restarts += 1;
        return Promise.resolve();
      },
    });
  });
  afterAll(async () => {
    await watch.close();
    redis.disconnect();
    await stopChild(server);
  });

  describe('when the server runs without AOF', () => {
    it('warns in readiness and in check that acknowledged votes can be lost', async () => {
      const verdict = await eventually(watch.persistence, (v) => v.detail !== 'not checked yet');
      expect(verdict).toMatchObject({ ok: true, warning: true });
      expect(verdict.detail).toMatch(/^appendonly no: every vote since the last RDB snapshot/);
      expect(await redisDurabilityLine(url, 3000)).toMatch(/^⚠ REDIS_URL: appendonly no: /);
    });

    it('tas-chatops check prints the warning last and still exits 0', async () => {
      const config = join(dir, 'config.yml');
      writeFileSync(config, CONFIG);
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const streams = { stdin: new PassThrough(), stdout, stderr: new PassThrough() };
      const env = { TAS_CHATOPS_CONFIG: config, REDIS_URL: url };
      expect(await runCli(['check'], env, streams)).toBe(0);
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^✓ /);
      expect(lines.at(-1)).toMatch(/^⚠ REDIS_URL: appendonly no: .*; set appendonly yes$/);
    });
  });

  describe('when AOF is turned on', () => {
    it('passes without a warning', async () => {
      await redis.config('SET', 'appendonly', 'yes');
      const verdict = await eventually(watch.persistence, (v) => !v.warning);
      expect(verdict.detail).toBe(
        'AOF, appendfsync everysec: acknowledged votes survive a Redis crash; a host crash loses up to the last second',
      );
      expect(await redisDurabilityLine(url, 3000)).toBe(`· REDIS_URL: ${verdict.detail}`);
    });
  });

  describe('when the server is killed and started again', () => {
    it('reports the restart once', async () => {
      expect(restarts).toBe(0);
      await stopChild(server, 'SIGKILL');
      server = await startRdbOnlyRedis(dir, port);
      expect(
        await eventually(
          () => restarts,
          (n) => n > 0,
        ),
      ).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(restarts).toBe(1);
    });
  });

  describe('when nothing listens at REDIS_URL', () => {
    it('check says it could not read the settings, without failing', async () => {
      const nobody = `redis://127.0.0.1:${await freePort()}`;
      expect(await redisDurabilityLine(nobody, 1000)).toMatch(
        /^· REDIS_URL: could not read the persistence settings of 127\.0\.0\.1:\d+: /,
      );
    });
  });
});
