// Helpers for tests that run the real `tas-chatops` process: loopback HTTP with node:http,
// polling with a deadline, private redis-servers and child processes with captured output.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One request on 127.0.0.1, a fresh connection each time; rejects when nothing listens. */
export function http(
  port: number,
  path: string,
  method = 'GET',
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, agent: false, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within 10s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `probe` until it returns something other than undefined; fails naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until GET `path` answers with `status`; resolves with that answer. */
export function waitForStatus(
  port: number,
  path: string,
  status: number,
  timeoutMs = 60_000,
): Promise<HttpAnswer> {
  return waitFor(
    `GET ${path} → ${status}`,
    async () => {
      const answer = await http(port, path);
      return answer.status === status ? answer : undefined;
    },
    timeoutMs,
  );
}

export { startRedis } from '../../support/child-process.js';

export interface Running {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** What was printed on stdout so far. */
  stdout(): string;
  /** JSON log lines printed on stdout so far. */
  logs(): Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const TSX = ['--import', 'tsx', 'src/cli/bin.ts'];

/** `tas-chatops <args>` from the sources, stdin closed (so never the console chat). */
export function spawnBot(args: readonly string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [...TSX, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    output: () => text,
    stdout: () => stdout,
    logs: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
  };
}

/** Runs `tas-chatops <args>` to the end and returns its exit code and output. */
export async function runBot(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; output: string }> {
  const running = spawnBot(args, env);
  const { code } = await running.exited;
  return { code, stdout: running.stdout(), output: running.output() };
}

/** Ends a child we started, by its pid, if it still runs. */
export async function stop(
  running: Running | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (running === undefined || running.child.exitCode !== null || running.child.signalCode !== null)
    return;
  running.child.kill(signal);
  await running.exited;
}
