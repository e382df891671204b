// A private redis-server for the chaos suite, configured as the bot's documented minimum
// (AOF on, fsync every second): a SIGKILL may lose the last second of acknowledged writes, and
// that is exactly what the suite means to provoke. Started, killed and started again by our
// own pid, on the same data directory, so the restart replays the append-only file.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, stopChild } from './child-process.js';
import { freePort } from './free-port.js';

function startServer(dir: string, port: number): Promise<ChildProcess> {
  return startChild(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      ...['--maxmemory-policy', 'noeviction'],
    ],
    'Ready to accept connections',
  );
}

export async function startChaosRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'tas-chaos-redis-'));
  const port = await freePort();
  let server: ChildProcess | undefined = await startServer(dir, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    /** SIGKILL: no shutdown, no final fsync. */
    async kill(): Promise<void> {
      if (server === undefined) return;
      await stopChild(server, 'SIGKILL');
      server = undefined;
    },
    /** Starts it again on the same port and data directory (a no-op while it runs). */
    async restart(): Promise<void> {
      if (server !== undefined) return;
      server = await startServer(dir, port);
    },
    async close(): Promise<void> {
      if (server !== undefined) await stopChild(server);
      server = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ChaosRedis = Awaited<ReturnType<typeof startChaosRedis>>;
