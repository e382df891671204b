import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { Logger } from '../../core/ports/logger.js';

/** A private redis-server this process started and will stop. */
export interface EmbeddedRedis {
  readonly url: string;
  readonly pid: number;
  readonly dir: string;
  /** Stops it by its pid (TERM, which flushes the AOF; KILL after a grace period). */
  stop(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  /** Data directory (AOF, log, pid file); created if missing. */
  readonly dir: string;
  /** Path of the redis-server binary (see `findOnPath`). */
  readonly command: string;
  readonly log: Logger;
  readonly startTimeoutMs?: number;
}

/** The embedded Redis could not be started; the message says what to do. */
export class EmbeddedRedisError extends Error {
  override readonly name = 'EmbeddedRedisError';
  readonly code = 'EMBEDDED_REDIS';
}

/** The first executable `name` on a PATH-style list, or undefined. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Owner {
  readonly botPid: number;
  readonly redisPid: number;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Only a process whose command line says redis-server is ever signalled (pids get reused). */
const isRedisServer = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string')
    throw new EmbeddedRedisError('could not find a free port on 127.0.0.1');
  return address.port;
}

/** Resolves true once redis answers PING with PONG (not LOADING or an error). */
function pong(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const finish = (result: boolean) => {
      socket.destroy();
      done(result);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) finish(text.startsWith('+PONG'));
    });
    socket.on('error', () => finish(false));
  });
}

async function stopPid(
  child: ChildProcess | undefined,
  pid: number,
  graceMs: number,
): Promise<void> {
  if (!alive(pid)) return;
  const exited =
    child === undefined || child.exitCode !== null || child.signalCode !== null
      ? undefined
      : new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) {
    if (exited !== undefined) await Promise.race([exited, sleep(100)]);
    else await sleep(100);
  }
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (exited !== undefined) await exited;
}

/** Handles a previous owner: refuses while it lives, stops the Redis it left when it died. */
async function takeOver(dir: string, ownerFile: string, log: Logger): Promise<void> {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Owner;
  } catch {
    return;
  }
  if (owner.botPid !== process.pid && alive(owner.botPid)) {
    throw new EmbeddedRedisError(
      `another tas-chatops (pid ${owner.botPid}) runs the embedded Redis in ${dir}. Stop it, set REDIS_URL to share one Redis, or set TAS_CHATOPS_DATA_DIR to another directory.`,
    );
  }
  if (alive(owner.redisPid) && isRedisServer(owner.redisPid)) {
    log.warn(
      { pid: owner.redisPid, dir },
      'stopping the embedded Redis left running by a tas-chatops that ended without stopping it',
    );
    await stopPid(undefined, owner.redisPid, 10_000);
  }
}

function redisArgs(dir: string, port: number): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
    '--pidfile',
    join(dir, 'redis.pid'),
  ];
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'redis.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return 'no log';
  }
}

/**
 * Starts a private redis-server on a free loopback port with AOF (`everysec`) and
 * `noeviction`, data in `dir`, and waits until it answers PING. It runs in its own process
 * group, so a Ctrl-C in the terminal reaches the bot first and Redis stays up until the
 * workers have finished; the bot stops it last, by pid.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const dir = resolve(options.dir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new EmbeddedRedisError(
      `cannot create ${dir} for the embedded Redis (${String(error)}); set TAS_CHATOPS_DATA_DIR to a writable directory, or set REDIS_URL.`,
    );
  }
  const ownerFile = join(dir, 'owner.json');
  await takeOver(dir, ownerFile, options.log);
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(options.command, redisArgs(dir, port), { stdio: 'ignore', detached: true });
    const pid = child.pid;
    if (pid === undefined) {
      const error = await new Promise<Error>((done) => child.once('error', done));
      throw new EmbeddedRedisError(
        `cannot run ${options.command}: ${error.message}. Install redis-server or set REDIS_URL.`,
      );
    }
    child.on('error', (error) => options.log.warn({ err: error }, 'embedded Redis error'));
    writeFileSync(
      ownerFile,
      JSON.stringify({ botPid: process.pid, redisPid: pid } satisfies Owner),
    );
    const deadline = Date.now() + timeoutMs;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      if (await pong(port)) {
        const stop = async () => {
          await stopPid(child, pid, 10_000);
          rmSync(ownerFile, { force: true });
        };
        options.log.info({ pid, port, dir }, 'embedded Redis started');
        return { url: `redis://127.0.0.1:${port}`, pid, dir, stop };
      }
      await sleep(100);
    }
    await stopPid(child, pid, 2000);
    const tail = logTail(dir);
    // Another process may have taken the free port between our check and Redis binding it.
    if (attempt < 3 && /address already in use/i.test(tail)) continue;
    throw new EmbeddedRedisError(
      `the embedded redis-server did not answer within ${timeoutMs} ms (${tail}). See ${join(dir, 'redis.log')}, or set REDIS_URL.`,
    );
  }
}
