#!/usr/bin/env node
// The socket proxy as a program of its own (`node dist/src/infra/http/socket-proxy-main.js`):
// its composition root, so it reads its own environment here and loads nothing of the bot.
//
//   LISTEN                         host:port (default 0.0.0.0:2375)
//   DOCKER_SOCKET                  the Engine's unix socket (default /var/run/docker.sock)
//   UPDATE_SERVICE_PREFIXES        comma-separated service name prefixes that may be updated;
//                                  required: `*` allows every service, unset refuses to start
//   PROXY_SERVICE_NAME             the proxy's own swarm service (stack.yaml: {{.Service.Name}});
//                                  also found from its container's swarm labels at startup
//   ALLOW_IMAGE_REPOSITORY_CHANGE  1: an update may switch image repository, not only the tag
//   FORWARD_REGISTRY_AUTH          1: pass an update's X-Registry-Auth header on (default: dropped)
//   LOG_LEVEL                      pino level (default info)
import { readFileSync } from 'node:fs';
import { createRedactor } from '../../lib/redact.js';
import { createLogger } from '../create-logger.js';
import { CRASH_EXIT_CODE, installProcessErrorPolicy } from '../process-error-policy.js';
import { engineJson } from './engine-json.js';
import { createSocketProxy } from './socket-proxy.js';
import { containerIdFromMountinfo, findOwnService } from './socket-proxy-self.js';

const env = process.env;

function fail(message: string): never {
  process.stderr.write(`tas-chatops socket proxy: ${message}\n`);
  process.exit(2);
}

function readMountinfo(): string {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return '';
  }
}

const listen = env.LISTEN ?? '0.0.0.0:2375';
const at = listen.lastIndexOf(':');
const host = listen.slice(0, at) || '0.0.0.0';
const port = Number(listen.slice(at + 1));
const log = createLogger({
  level: env.LOG_LEVEL ?? 'info',
  pretty: false,
  fd: 1,
  // Nothing secret is configured here, but a logged URL or Engine error may carry a credential.
  redact: createRedactor([]),
});
const socketPath = env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const updatePrefixes = (env.UPDATE_SERVICE_PREFIXES ?? '')
  .split(',')
  .map((prefix) => prefix.trim())
  .filter((prefix) => prefix !== '');
if (updatePrefixes.length === 0) {
  fail(
    'UPDATE_SERVICE_PREFIXES is not set. Name the stacks the bot may update, e.g. ' +
      'UPDATE_SERVICE_PREFIXES=prod_,staging_, or set it to * to allow every service on the swarm.',
  );
}
const found = await findOwnService(
  env.PROXY_SERVICE_NAME || undefined,
  containerIdFromMountinfo(readMountinfo()),
  (path) => engineJson(socketPath, path),
);
if (!found.ok) {
  fail(
    `cannot tell which service runs this proxy (${found.reason}); set PROXY_SERVICE_NAME or ` +
      `check DOCKER_SOCKET=${socketPath}.`,
  );
}
const server = createSocketProxy({
  socketPath,
  updatePrefixes,
  allowRepositoryChange: env.ALLOW_IMAGE_REPOSITORY_CHANGE === '1',
  forwardRegistryAuth: env.FORWARD_REGISTRY_AUTH === '1',
  ownService: found.own,
  log,
});

function stop(): void {
  server.close();
  server.closeAllConnections();
}

// The bot's policy for errors that escape every handler: a stray rejection is logged and the
// proxy serves on; an uncaught exception closes the server and exits 70 for the supervisor.
const lastResort = installProcessErrorPolicy({
  events: process,
  log,
  shutdown: () => {
    process.exitCode = CRASH_EXIT_CODE;
    stop();
  },
  exit: (code) => process.exit(code),
});

server.listen(port, host, () =>
  log.info(
    {
      listen: `${host}:${port}`,
      socketPath,
      updatePrefixes,
      ownService: found.own,
      how: found.how,
    },
    'socket proxy listening',
  ),
);
server.on('error', (error) => {
  log.error({ err: error }, `cannot listen on ${listen}; set LISTEN=host:port`);
  process.exitCode = 1;
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (lastResort.crashed) process.exitCode = CRASH_EXIT_CODE;
    stop();
  });
}
