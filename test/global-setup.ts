import { request } from 'node:http';
import { connect } from 'node:net';
import { dockerSocketPath, infraEnv, provisionHint } from './support/infra.js';

/**
 * vitest globalSetup: before any test runs, the Docker engine and Redis that `npm test`
 * provisions must answer. A missing one fails the run naming what was expected where; it is
 * never a reason to skip (STYLE.md rule 13). Node built-ins only, so a broken SDK upgrade
 * cannot hide behind this check.
 */
const TIMEOUT_MS = 5_000;

function pingDocker(socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: '/v1.41/_ping', method: 'GET', timeout: TIMEOUT_MS },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode === 200 && body === 'OK') resolve();
          else
            reject(
              new Error(
                `GET /v1.41/_ping answered ${res.statusCode ?? '?'} ${JSON.stringify(body)}`,
              ),
            );
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** RESP command as an array of bulk strings. */
function resp(...args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

async function pingRedis(redisUrl: string): Promise<void> {
  const url = new URL(redisUrl);
  const commands: string[] = [];
  if (url.password !== '') {
    const password = decodeURIComponent(url.password);
    commands.push(
      url.username !== ''
        ? resp('AUTH', decodeURIComponent(url.username), password)
        : resp('AUTH', password),
    );
  }
  commands.push(resp('PING'));
  const expected = commands.length === 2 ? '+OK\r\n+PONG\r\n' : '+PONG\r\n';

  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) });
    let received = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(TIMEOUT_MS, () => fail(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(commands.join('')));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.startsWith('-')) fail(new Error(`answered ${JSON.stringify(received.trim())}`));
      else if (received === expected) {
        socket.end();
        resolve();
      } else if (received.length >= expected.length) {
        fail(new Error(`answered ${JSON.stringify(received)} to PING`));
      }
    });
    socket.on('error', fail);
  });
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export default async function setup(): Promise<void> {
  const env = infraEnv();
  const problems: string[] = [];

  await Promise.resolve()
    .then(() => pingDocker(dockerSocketPath()))
    .catch((error: unknown) => {
      problems.push(
        `Docker engine at DOCKER_HOST=${env.dockerHost} does not answer: ${reason(error)}`,
      );
    });
  await pingRedis(env.redisUrl).catch((error: unknown) => {
    problems.push(`Redis at REDIS_URL=${env.redisUrl} does not answer: ${reason(error)}`);
  });

  if (problems.length > 0) {
    throw new Error(
      [
        'Integration infrastructure is unreachable; integration tests need a real Docker engine and Redis.',
        ...problems.map((p) => `  - ${p}`),
        `To fix: ${provisionHint}.`,
      ].join('\n'),
    );
  }
}
