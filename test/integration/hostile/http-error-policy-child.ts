// A process shaped like `tas-chatops start` for the error-policy test: the real last-resort
// policy (as src/cli/bin.ts installs it) and the real HTTP server, with SIGTERM running a
// graceful shutdown. Two routes exist only here, to plant what a bug would cause: a promise
// rejected with nobody to handle it, and an exception thrown outside any handler.
//
//   node --import tsx test/integration/hostile/http-error-policy-child.ts PORT
import { installLastResort } from '../../../src/cli/last-resort.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { createHttpServer } from '../../../src/infra/http/create-http-server.js';
import { createReadiness } from '../../../src/infra/http/readiness.js';

const lastResort = installLastResort();
const readiness = createReadiness();
const http = createHttpServer({
  readiness: () => readiness.report(),
  metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
  log: silentLogger,
  mounts: [
    {
      path: '/plant/rejection',
      handle(_req, res) {
        void Promise.reject(new Error('planted rejection'));
        res.end('planted\n');
      },
    },
    {
      path: '/plant/exception',
      handle(_req, res) {
        res.end('planted\n', () =>
          setImmediate(() => {
            throw new Error('planted exception');
          }),
        );
      },
    },
  ],
});
await http.listen(Number(process.argv[2]), '127.0.0.1');
process.stdout.write('listening\n');
process.once('SIGTERM', () => {
  process.stdout.write('graceful shutdown started\n');
  readiness.stop();
  http.drain();
  void http.close().then(() => {
    process.stdout.write('stopped\n');
    process.exitCode = lastResort.exitCode(0);
  });
});
