// The floor of the acknowledgement benchmark: the least any Node process can do per event on
// this machine, measured exactly as the bot is. HTTP: verify the v0 signature over the raw body,
// answer 200, parse the form. Socket Mode: connect to the stand-in's WebSocket, and for each
// envelope parse it and send its ack. Node built-ins and `ws` only; no bot code.
// Prints `{"ready":true,"eventsUrl":…}`; ends on SIGTERM.
// Usage: node ack-floor-child.js '{"mode":"http"|"socket","signingSecret":…,"socketUrl":…}'
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';

const input = JSON.parse(process.argv[2] ?? '{}') as {
  mode: 'http' | 'socket';
  signingSecret: string;
  socketUrl?: string;
};

function verified(timestamp: string, raw: string, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac('sha256', input.signingSecret).update(`v0:${timestamp}:${raw}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

if (input.mode === 'http') {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const ok = verified(
        String(req.headers['x-slack-request-timestamp']),
        raw,
        String(req.headers['x-slack-signature']),
      );
      res.writeHead(ok ? 200 : 401, { 'content-length': '0' });
      res.end();
      void new URLSearchParams(raw).get('text');
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(
      `${JSON.stringify({ ready: true, eventsUrl: `http://127.0.0.1:${port}/slack/events` })}\n`,
    );
  });
} else {
  const socket = new WebSocket(input.socketUrl ?? '');
  socket.on('message', (data) => {
    const frame = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as {
      type?: string;
      envelope_id?: string;
    };
    if (frame.type === 'hello')
      process.stdout.write(`${JSON.stringify({ ready: true, eventsUrl: '' })}\n`);
    else if (frame.envelope_id !== undefined)
      socket.send(JSON.stringify({ envelope_id: frame.envelope_id }));
  });
}
process.once('SIGTERM', () => process.exit(0));
