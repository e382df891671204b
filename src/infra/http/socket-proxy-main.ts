#!/usr/bin/env node
// The socket proxy as a program of its own (`node dist/src/infra/http/socket-proxy-main.js`):
// its composition root, so it reads its own environment here and loads nothing of the bot.
//
//   LISTEN                         host:port (default 0.0.0.0:2375)
//   DOCKER_SOCKET                  the Engine's unix socket (default /var/run/docker.sock)
//   UPDATE_SERVICE_PREFIXES        comma-separated service name prefixes that may be updated
//   ALLOW_IMAGE_REPOSITORY_CHANGE  1: an update may switch image repository, not only the tag
//   LOG_LEVEL                      pino level (default info)
import { createLogger } from '../create-logger.js';
import { createSocketProxy } from './socket-proxy.js';

const env = process.env;
const listen = env.LISTEN ?? '0.0.0.0:2375';
const at = listen.lastIndexOf(':');
const host = listen.slice(0, at) || '0.0.0.0';
const port = Number(listen.slice(at + 1));
const log = createLogger({
  level: env.LOG_LEVEL ?? 'info',
  pretty: false,
  fd: 1,
  redact: (text) => text,
});
const socketPath = env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const updatePrefixes = (env.UPDATE_SERVICE_PREFIXES ?? '')
  .split(',')
  .map((prefix) => prefix.trim())
  .filter((prefix) => prefix !== '');
const server = createSocketProxy({
  socketPath,
  updatePrefixes,
  allowRepositoryChange: env.ALLOW_IMAGE_REPOSITORY_CHANGE === '1',
  log,
});

server.listen(port, host, () =>
  log.info({ listen: `${host}:${port}`, socketPath, updatePrefixes }, 'socket proxy listening'),
);
server.on('error', (error) => {
  log.error({ err: error }, `cannot listen on ${listen}; set LISTEN=host:port`);
  process.exitCode = 1;
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
