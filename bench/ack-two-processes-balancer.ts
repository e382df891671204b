// The load balancer of the two-process acknowledgement benchmark: a Node cluster primary that
// forks the bot (or floor) processes as its workers and hands each incoming connection to the
// next one, as Node's cluster module does by default on Linux and as pm2's cluster mode runs an
// app on one host. The primary accepts the connection and passes its socket (the descriptor
// itself, over the worker's IPC channel) to a worker; from then on the bytes go from the kernel
// straight to that worker, as they do behind the Swarm routing mesh (IPVS balances in the
// kernel, per connection) or a load balancer on another host. A balancer that copied every
// byte through a process of its own on these two cores would be measured as the bots' latency.
// The workers run the script unchanged: their `listen(0, '127.0.0.1')` is the cluster's one
// shared port.
// Prints `{"ready":true,"eventsUrl":…,"workers":n}` once every worker is ready; on SIGTERM
// stops every worker as SIGTERM stops it and exits once they have.
// Usage: node ack-two-processes-balancer.js '{"exec":…,"execArgv":[…],"workers":n,"input":{…}}'
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

interface Input {
  /** The worker script (compiled JS, or TS with `--import tsx` in execArgv). */
  readonly exec: string;
  readonly execArgv: readonly string[];
  readonly workers: number;
  /** The worker script's own JSON input. */
  readonly input: object;
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
if (!(input.workers >= 1)) throw new Error('ack-two-processes-balancer: no workers');

// Round-robin hand-off by the primary: the default on Linux, set here so it never depends on
// NODE_CLUSTER_SCHED_POLICY in the environment.
cluster.schedulingPolicy = cluster.SCHED_RR;
cluster.setupPrimary({
  exec: input.exec,
  execArgv: [...input.execArgv],
  args: [JSON.stringify(input.input)],
  silent: true,
});

/** Forks one worker and resolves with its ready line; rejects if it exits first. */
function forkReady(): Promise<{ worker: Worker; ready: Record<string, unknown> }> {
  const worker = cluster.fork();
  worker.process.stderr?.pipe(process.stderr);
  const lines = createInterface({ input: worker.process.stdout! });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (message.ready === true) resolve({ worker, ready: message });
    });
    worker.once('exit', (code) =>
      reject(new Error(`a worker exited (${code}) before it was ready`)),
    );
  });
}

// One after another: each worker's listen reaches the primary before the next starts, so the
// first one's random port is the one they all share.
const started: { worker: Worker; ready: Record<string, unknown> }[] = [];
for (let i = 0; i < input.workers; i += 1) started.push(await forkReady());
const urls = new Set(started.map((s) => String(s.ready.eventsUrl)));
if (urls.size !== 1) throw new Error(`workers listen on different URLs: ${[...urls].join(', ')}`);
process.stdout.write(
  `${JSON.stringify({ ready: true, eventsUrl: [...urls][0], workers: started.length })}\n`,
);

process.once('SIGTERM', () => {
  void (async () => {
    await Promise.all(
      started.map(async ({ worker }) => {
        if (worker.isDead()) return;
        const exited = once(worker, 'exit');
        worker.process.kill('SIGTERM');
        await exited;
      }),
    );
    process.exit(0);
  })();
});
