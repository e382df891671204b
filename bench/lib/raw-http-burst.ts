import net from 'node:net';

export interface RawRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawResponse {
  readonly status: number;
  /** From the write of the request to the end of the response, milliseconds. */
  readonly ms: number;
}

/**
 * Sends many HTTP/1.1 POSTs at once, one per pre-opened keep-alive connection, and times each
 * from its write to the end of its response. Requests are serialised before the clock starts and
 * responses are read only as far as the status line and Content-Length, so the sender's own cost
 * per request is a few microseconds: node:http's client spends ~0.3 ms of CPU per request, which
 * in a burst of 200 on two cores would be measured as the bot's latency. Slack sends from many
 * machines; this comes closer to that than one busy client does.
 */
export async function openRawConnections(host: string, port: number, count: number) {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect({ host, port, noDelay: true }, () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  return {
    /** One request per connection, all written in one go; resolves when every response is in. */
    async burst(requests: readonly RawRequest[]): Promise<RawResponse[]> {
      if (requests.length > sockets.length)
        throw new Error(`${requests.length} requests for ${sockets.length} connections`);
      const wire = requests.map((r) => serialise(host, port, r));
      const waiting = wire.map((_, i) => readResponse(sockets[i]!));
      const started = wire.map((bytes, i) => {
        const at = performance.now();
        sockets[i]!.write(bytes);
        return at;
      });
      const answers = await Promise.all(waiting);
      return answers.map((a, i) => ({ status: a.status, ms: a.at - (started[i] ?? a.at) }));
    },
    close(): void {
      for (const socket of sockets) socket.destroy();
    },
  };
}

function serialise(host: string, port: number, request: RawRequest): Buffer {
  const body = Buffer.from(request.body);
  const headers = {
    ...request.headers,
    host: `${host}:${port}`,
    'content-length': String(body.length),
    connection: 'keep-alive',
  };
  const head = `POST ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

/** The next response on a keep-alive connection: status line, headers, then Content-Length bytes. */
function readResponse(socket: net.Socket): Promise<{ status: number; at: number }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      socket.off('data', onData);
      socket.off('error', reject);
      resolve({ status: Number(head.slice(9, 12)), at: performance.now() });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}
