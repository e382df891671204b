import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** What the next requests get; a 404 until set. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export interface SelfSignedCert {
  readonly cert: string;
  readonly key: string;
}

/** A server on 127.0.0.1, port 0; `tls` makes it HTTPS with that certificate. */
export async function startLoopbackServer(tls?: SelfSignedCert): Promise<LoopbackServer> {
  let current: Handler = (_req, res) => res.writeHead(404).end();
  const onRequest: Handler = (req, res) => current(req, res);
  const server = tls === undefined ? createServer(onRequest) : createTlsServer(tls, onRequest);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    handle: (handler) => {
      current = handler;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A throwaway certificate for 127.0.0.1 (CN and IP SAN), made with the openssl CLI. */
export function selfSignedCertFor127(): SelfSignedCert {
  const dir = mkdtempSync(join(tmpdir(), 'probe-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
        ...['-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
