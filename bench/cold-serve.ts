import { spawn } from 'node:child_process';
import http from 'node:http';
import { freePort } from '../test/support/free-port.js';

export interface ServeStartOptions {
  readonly cli: { readonly command: string; readonly args: readonly string[] };
  readonly configFile: string;
  /** The bot's data directory: its private Redis lives there (redis-server is on the PATH). */
  readonly dataDir: string;
}

/**
 * A replacement bot during an incident: `tas-chatops start` (headless, no chat tokens) from
 * spawn until `/health/ready` answers 200, milliseconds. The bot starts its private Redis as a
 * fresh install would; it is stopped with SIGTERM after each run and must exit 0.
 */
export async function startToReady(options: ServeStartOptions): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(options.cli.command, [...options.cli.args, 'start'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TAS_CHATOPS_CONFIG: options.configFile,
      TAS_CHATOPS_DATA_DIR: options.dataDir,
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let readyMs: number | undefined;
  try {
    const deadline = started + 30_000;
    while (readyMs === undefined && performance.now() < deadline) {
      if (child.exitCode !== null) break;
      if ((await readiness(port)) === 200) readyMs = performance.now() - started;
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  if (readyMs === undefined || code !== 0)
    throw new Error(
      `tas-chatops start: ready ${readyMs === undefined ? 'never' : `after ${Math.round(readyMs)} ms`}, exit ${String(code)}: ${stderr.slice(0, 600)}`,
    );
  return readyMs;
}

/** GET /health/ready's status; 0 while nothing listens yet. */
function readiness(port: number): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: '/health/ready', agent: false },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.once('error', () => resolve(0));
  });
}
