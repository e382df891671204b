// A private Redis Sentinel set for one test file: a primary, one replica and three
// `redis-sentinel` processes, all on 127.0.0.1 on free ports, in a temporary directory. Debian's
// redis-sentinel package provides the binary (`.ci/infra.sh up` installs it when missing).
// Every process is ours, started here and stopped by its pid; a test may SIGKILL the primary
// and start it again, as an operator would, to see it rejoin as a replica.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { onlineReplicas } from '../../src/infra/redis/durable-writes.js';
import { freePort } from './free-port.js';
import { startChild, stopChild } from './child-process.js';

export const PRIMARY_NAME = 'tasprimary';

export interface SentinelSetOptions {
  /** How long the sentinels wait before they call the primary down (`down-after-milliseconds`). */
  readonly downAfterMs?: number;
}

interface Node {
  readonly port: number;
  readonly dir: string;
  /** undefined while stopped (killed and not started again). */
  process?: ChildProcess | undefined;
}

function startNode(node: Node, replicaOf?: number): Promise<ChildProcess> {
  return startChild(
    'redis-server',
    [
      ...['--port', String(node.port), '--bind', '127.0.0.1', '--dir', node.dir],
      ...['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      ...(replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(replicaOf)]),
    ],
    'Ready to accept connections',
  );
}

function sentinelConfig(port: number, dir: string, primary: number, downAfterMs: number): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor ${PRIMARY_NAME} 127.0.0.1 ${primary} 2`,
    `sentinel down-after-milliseconds ${PRIMARY_NAME} ${downAfterMs}`,
    `sentinel failover-timeout ${PRIMARY_NAME} 10000`,
    `sentinel parallel-syncs ${PRIMARY_NAME} 1`,
    '',
  ].join('\n');
}

/** One short-lived connection to the server or sentinel on `port`, closed after `use`. */
async function withClient<T>(port: number, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

const sentinelCall = (port: number, ...args: string[]): Promise<unknown> =>
  withClient(port, (client) => client.call('SENTINEL', ...args));

/** `SENTINEL MASTER <name>` as a map (its reply is a flat list of field, value). */
async function primaryState(port: number): Promise<Map<string, string>> {
  const flat = (await sentinelCall(port, 'MASTER', PRIMARY_NAME)) as string[];
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] ?? '', flat[i + 1] ?? '');
  return fields;
}

/** Replicas the primary on `port` lists as online with a fresh acknowledgement. */
const replicasOnline = (port: number): Promise<number> =>
  withClient(port, async (client) => onlineReplicas(await client.info('replication')));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`sentinel set: ${what} not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Fails naming the fix when Debian's redis-sentinel is not installed. */
function requireSentinelBinary(): void {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  if (dirs.some((dir) => dir !== '' && existsSync(join(dir, 'redis-sentinel')))) return;
  throw new Error(
    'redis-sentinel is not on the PATH: `bash .ci/infra.sh up` (which `npm test` runs) installs ' +
      "Debian's redis-sentinel package, or apt-get install redis-sentinel as root",
  );
}

/** Starts the set and waits until every sentinel sees the primary, the replica and the others. */
export async function startSentinelSet(options: SentinelSetOptions = {}) {
  requireSentinelBinary();
  const root = mkdtempSync(join(tmpdir(), 'tas-sentinel-'));
  const nodes: Node[] = [];
  const sentinels: ChildProcess[] = [];
  const sentinelPorts: number[] = [];
  const close = async () => {
    for (const sentinel of sentinels) await stopChild(sentinel);
    for (const node of nodes) if (node.process) await stopChild(node.process);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const name of ['a', 'b']) {
      const dir = join(root, name);
      mkdirSync(dir);
      nodes.push({ port: await freePort(), dir });
    }
    const [primary, replica] = nodes as [Node, Node];
    primary.process = await startNode(primary);
    replica.process = await startNode(replica, primary.port);
    for (const name of ['s1', 's2', 's3']) {
      const port = await freePort();
      const file = join(root, `${name}.conf`);
      writeFileSync(file, sentinelConfig(port, root, primary.port, options.downAfterMs ?? 3000));
      sentinels.push(await startChild('redis-sentinel', [file], '+monitor master'));
      sentinelPorts.push(port);
    }
    const set = sentinelSetApi(nodes, sentinelPorts, close);
    await set.settled();
    return set;
  } catch (error) {
    await close();
    throw error;
  }
}

function sentinelSetApi(nodes: Node[], sentinelPorts: number[], close: () => Promise<void>) {
  const members = sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  /** The port the sentinels name as the primary (the first that answers). */
  const primaryPort = async (): Promise<number> => {
    const [, port] = (await sentinelCall(
      sentinelPorts[0] ?? 0,
      'GET-MASTER-ADDR-BY-NAME',
      PRIMARY_NAME,
    )) as [string, string];
    return Number(port);
  };
  return {
    /** REDIS_URL for the set. */
    url: `redis+sentinel://${members}/${PRIMARY_NAME}`,
    primaryPort,
    /** Every sentinel knows the others and sees one replica of an answering primary. */
    async settled(timeoutMs = 60_000) {
      await until(
        'every sentinel seeing the primary, one replica and two other sentinels',
        async () => {
          const states = await Promise.all(sentinelPorts.map(primaryState));
          const agreed = states.every(
            (s) =>
              s.get('num-other-sentinels') === '2' &&
              s.get('num-slaves') !== '0' &&
              !(s.get('flags') ?? '').includes('down'),
          );
          return agreed && (await replicasOnline(await primaryPort())) >= 1;
        },
        timeoutMs,
      );
    },
    /** SIGKILLs the current primary; resolves with its port. */
    async killPrimary(): Promise<number> {
      const port = await primaryPort();
      const node = nodes.find((n) => n.port === port);
      if (node?.process === undefined) throw new Error(`no running node of ours on ${port}`);
      await stopChild(node.process, 'SIGKILL');
      node.process = undefined;
      return port;
    },
    /** Waits until the sentinels name another primary than `port`. */
    async failedOverFrom(port: number, timeoutMs = 60_000) {
      await until(
        `a primary other than ${port}`,
        async () => (await primaryPort()) !== port,
        timeoutMs,
      );
    },
    /** Starts a killed node again with its old settings; the sentinels make it a replica. */
    async restart(port: number) {
      const node = nodes.find((n) => n.port === port);
      if (node === undefined || node.process !== undefined)
        throw new Error(`${port} is not stopped`);
      node.process = await startNode(node);
    },
    close,
  };
}

export type SentinelSet = Awaited<ReturnType<typeof startSentinelSet>>;
