// The load balancer of the two-process acknowledgement benchmark, in a process of its own so it
// shares no event loop with the senders or the bots: a TCP round-robin over the bots' HTTP
// ports, one backend per incoming connection in turn, as an L4 balancer (the Swarm routing mesh,
// IPVS, an AWS NLB) spreads Slack's connections. It copies bytes and never parses HTTP.
// Prints `{"ready":true,"port":…}` once listening on 127.0.0.1; ends on SIGTERM.
// Usage: node ack-two-processes-balancer.js '{"backends":[{"host":"127.0.0.1","port":…},…]}'
import net from 'node:net';

interface Backend {
  readonly host: string;
  readonly port: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as { backends?: readonly Backend[] };
const backends = input.backends ?? [];
if (backends.length === 0) throw new Error('ack-two-processes-balancer: no backends');

let next = 0;
const server = net.createServer({ noDelay: true }, (client) => {
  const backend = backends[next % backends.length] as Backend;
  next += 1;
  const upstream = net.connect({ host: backend.host, port: backend.port, noDelay: true });
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
