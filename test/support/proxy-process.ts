import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startChild, stopChild } from './child-process.js';
import { freePort } from './free-port.js';
import { dockerSocketPath } from './infra.js';

export interface RunningProxy {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** The socket proxy program, run with tsx from the sources, as the deployment runs the build. */
const PROGRAM = ['--import', 'tsx', 'src/infra/http/socket-proxy-main.ts'];

/**
 * Starts the real socket proxy on 127.0.0.1 in front of the test swarm's Engine socket, with
 * `env` on top of a minimal environment (set UPDATE_SERVICE_PREFIXES there).
 */
export async function startSocketProxy(env: NodeJS.ProcessEnv): Promise<RunningProxy> {
  const port = await freePort();
  const child = await startChild(process.execPath, PROGRAM, 'socket proxy listening', {
    PATH: process.env.PATH,
    LISTEN: `127.0.0.1:${port}`,
    DOCKER_SOCKET: dockerSocketPath(),
    LOG_LEVEL: 'info',
    ...env,
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return { port, child, stop: () => stopChild(child) };
}

/** Runs the proxy until it exits on its own (a refused start); its exit code and stderr. */
export async function runSocketProxyToExit(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, PROGRAM, {
    env: {
      PATH: process.env.PATH,
      LISTEN: `127.0.0.1:${port}`,
      DOCKER_SOCKET: dockerSocketPath(),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}
