import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A "Docker engine" on 127.0.0.1 that accepts connections and never answers, until `release()`
 * closes it: every held connection is reset and new ones are refused. Shows that a slash
 * command is acknowledged while Docker is still silent.
 */
export async function startDockerBlackHole(onConnection: () => void = () => undefined) {
  const held: Socket[] = [];
  const server = createServer((socket) => {
    held.push(socket);
    socket.on('error', () => undefined);
    onConnection();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `tcp://127.0.0.1:${port}`,
    get connections(): number {
      return held.length;
    },
    release(): Promise<void> {
      for (const socket of held) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
