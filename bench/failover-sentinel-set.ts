import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { freePort } from '../test/support/free-port.js';

/** The primary's name the sentinels monitor. */
export const PRIMARY_NAME = 'tasbench';

/** How long the sentinels wait before they call the primary down (sentinel down-after-milliseconds). */
export const DOWN_AFTER_MS = 1000;

export interface SentinelSet {
  /** `redis+sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/tasbench`. */
  readonly url: string;
  /** SIGKILLs the primary; resolves with performance.now() of the kill. */
  killPrimary(): number;
  /** Resolves with performance.now() when a sentinel announces the new primary (+switch-master). */
  switched(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A private Sentinel set on 127.0.0.1 for the failover benchmark: a primary, one replica and three
 * sentinels (quorum 2), each a redis-server process of its own (`--sentinel` for the sentinels,
 * as Debian's redis-sentinel runs it), data and configs under `dir`.
 */
export async function startSentinelSet(dir: string): Promise<SentinelSet> {
  await mkdir(dir, { recursive: true });
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const server = (port: number, extra: readonly string[]) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    const child = spawn('redis-server', [...args, '--dbfilename', `dump-${port}.rdb`, ...extra], {
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };
  const primary = server(primaryPort, []);
  await answers(primaryPort);
  server(replicaPort, ['--replicaof', '127.0.0.1', String(primaryPort)]);
  await replicaInSync(primaryPort);
  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  for (const port of sentinelPorts) {
    const conf = `${dir}/sentinel-${port}.conf`;
    await writeFile(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${PRIMARY_NAME} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${PRIMARY_NAME} ${DOWN_AFTER_MS}`,
        `sentinel failover-timeout ${PRIMARY_NAME} 10000`,
        `sentinel parallel-syncs ${PRIMARY_NAME} 1`,
        '',
      ].join('\n'),
    );
    children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
  }
  for (const port of sentinelPorts) await answers(port);
  const watcher = new Redis({ host: '127.0.0.1', port: sentinelPorts[0] ?? 0, lazyConnect: true });
  await watcher.connect();
  await watcher.subscribe('+switch-master');
  const switchedAt = new Promise<number>((resolve) =>
    watcher.on('message', () => resolve(performance.now())),
  );
  return {
    url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${PRIMARY_NAME}`,
    killPrimary() {
      primary.kill('SIGKILL');
      return performance.now();
    },
    switched: () => switchedAt,
    async stop() {
      watcher.disconnect();
      for (const child of children) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}

/** Waits (10 s at most) until a redis-server on the port answers PING. */
async function answers(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const redis = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      redis.disconnect();
    }
  }
}

/** Waits (10 s at most) until the primary reports a replica online. */
async function replicaInSync(primaryPort: number): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: primaryPort });
  try {
    const deadline = Date.now() + 10_000;
    while (!/slave0:.*state=online/.test(await redis.info('replication'))) {
      if (Date.now() > deadline) throw new Error('the replica did not sync within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    redis.disconnect();
  }
}
