import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddedRedisError,
  findOnPath,
  startEmbeddedRedis,
} from '../../../src/infra/redis/embedded-redis.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import {
  freePort,
  runBot,
  spawnBot,
  stop,
  waitFor,
  waitForStatus,
  type Running,
} from './process-support.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? 0;
}

describe('tas-chatops start without REDIS_URL', () => {
  let docker: Docker;
  let factory: ReturnType<typeof serviceFactory>;
  let dir: string;
  let config: string;
  let bot: Running | undefined;
  beforeAll(async () => {
    docker = await connectTestSwarm();
    factory = serviceFactory(docker);
    const stack = uniqueStack();
    await factory.create(`${stack}_backend`);
    dir = mkdtempSync(join(tmpdir(), 'tas-embedded-'));
    config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `people: { alice: {}, dave: {} }
roles: { oncall: [alice], lead: [dave] }
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [backend]
    policy:
      read: [oncall, lead]
      restart: { request: [oncall], approve: [lead], approvals: 1, expires: 15m }
`,
    );
  });
  afterAll(async () => {
    await stop(bot, 'SIGKILL');
    await factory.removeAll();
  });

  const env = (more: NodeJS.ProcessEnv) => ({
    TAS_CHATOPS_CONFIG: config,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...more,
  });

  it('runs a private redis-server (AOF everysec, noeviction, loopback), is ready through it and stops it on SIGTERM', async () => {
    const port = await freePort();
    const data = join(dir, 'data');
    bot = spawnBot(
      ['start'],
      env({ PATH: process.env.PATH, PORT: String(port), TAS_CHATOPS_DATA_DIR: data }),
    );
    const ready = await waitForStatus(port, '/health/ready', 200);
    expect(JSON.parse(ready.body)).toMatchObject({
      checks: [
        { name: 'redis', ok: true },
        { name: 'workers', ok: true },
        { name: 'persistence', ok: true },
      ],
    });
    const started = bot.logs().find((l) => l.msg === 'embedded Redis started') as
      { pid: number; port: number; dir: string } | undefined;
    if (started === undefined) throw new Error(`no embedded Redis in: ${bot.output()}`);
    expect(started.dir).toBe(join(data, 'redis'));
    const redis = new Redis({ host: '127.0.0.1', port: started.port, lazyConnect: true });
    try {
      await redis.connect();
      const config = async (name: string) => ((await redis.config('GET', name)) as string[])[1];
      expect(await config('appendonly')).toBe('yes');
      expect(await config('appendfsync')).toBe('everysec');
      expect(await config('maxmemory-policy')).toBe('noeviction');
      expect(await config('bind')).toBe('127.0.0.1');
    } finally {
      redis.disconnect();
    }
    await stop(bot);
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(alive(started.pid)).toBe(false);
    expect(existsSync(join(data, 'redis', 'appendonlydir'))).toBe(true);
    expect(existsSync(join(data, 'redis', 'owner.json'))).toBe(false);
  });

  it('says exactly what to do when redis-server is not on the PATH either, and still answers status', async () => {
    const port = await freePort();
    const emptyPath = mkdtempSync(join(tmpdir(), 'tas-no-redis-'));
    bot = spawnBot(['start'], env({ PATH: emptyPath, PORT: String(port) }));
    const ready = await waitForStatus(port, '/health/ready', 200);
    expect(JSON.parse(ready.body)).toMatchObject({
      checks: [
        { name: 'redis', ok: true, detail: 'no Redis configured: privileged operations are off' },
        { name: 'workers', ok: true },
      ],
    });
    const warning = bot
      .logs()
      .find((l) => l.level === 40 && typeof l.msg === 'string' && l.msg.startsWith('No Redis'));
    expect(warning?.msg).toContain(
      'install redis-server (Debian/Ubuntu: apt-get install redis-server)',
    );
    expect(warning?.msg).toContain('set REDIS_URL=redis://HOST:6379');
    await stop(bot);
    expect(await bot.exited).toEqual({ code: 0, signal: null });

    const status = await runBot(
      ['run', '--as', 'alice', '--json', '/tas status'],
      env({ PATH: emptyPath, LOG_LEVEL: 'warn' }),
    );
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { title: string }).title).toMatch(/^ops: /);
    const restart = await runBot(
      ['run', '--as', 'alice', '--json', '/tas restart backend'],
      env({ PATH: emptyPath, LOG_LEVEL: 'warn' }),
    );
    expect(JSON.parse(restart.stdout)).toMatchObject({
      data: { error: { code: 'DEPENDENCY_UNAVAILABLE', dependency: 'redis' } },
    });
    expect(restart.stdout).toContain('none is configured: set REDIS_URL');
  });

  it('refuses to run a worker without REDIS_URL, naming it', async () => {
    const result = await runBot(
      ['worker'],
      env({ PATH: process.env.PATH, PORT: String(await freePort()) }),
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('worker needs REDIS_URL');
  });
});

describe('startEmbeddedRedis', () => {
  const command = findOnPath('redis-server', process.env.PATH);
  const options = (dir: string) => {
    if (command === undefined)
      throw new Error('redis-server is not on the PATH; .ci/infra.sh installs it');
    return { dir, command, log: captureLogger().log };
  };

  it('refuses a data directory whose owner still runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tas-owned-'));
    writeFileSync(
      join(dir, 'owner.json'),
      JSON.stringify({ botPid: process.ppid, redisPid: await deadPid() }),
    );
    const attempt = startEmbeddedRedis(options(dir));
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedRedisError);
    await expect(attempt).rejects.toThrow(
      `another tas-chatops (pid ${process.ppid}) runs the embedded Redis in ${dir}`,
    );
  });

  it('stops the redis-server a dead owner left running, then starts its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tas-orphan-'));
    const orphanDir = join(dir, 'orphan');
    mkdirSync(orphanDir);
    const orphan = spawn(
      command ?? 'redis-server',
      ['--port', String(await freePort()), '--bind', '127.0.0.1', '--dir', orphanDir, '--save', ''],
      { stdio: 'ignore' },
    );
    const orphanExit = once(orphan, 'exit');
    const orphanPid = orphan.pid ?? 0;
    await waitFor('the orphan to run', () =>
      Promise.resolve(
        readFileSync(`/proc/${orphanPid}/cmdline`, 'utf8').includes('redis-server')
          ? true
          : undefined,
      ),
    );
    writeFileSync(
      join(dir, 'owner.json'),
      JSON.stringify({ botPid: await deadPid(), redisPid: orphanPid }),
    );
    const embedded = await startEmbeddedRedis(options(dir));
    const redis = new Redis(embedded.url, { lazyConnect: true });
    try {
      await orphanExit;
      expect(alive(orphanPid)).toBe(false);
      expect(JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8'))).toEqual({
        botPid: process.pid,
        redisPid: embedded.pid,
      });
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
      await embedded.stop();
    }
    expect(alive(embedded.pid)).toBe(false);
  });
});
