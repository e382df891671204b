import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

/** A socket that never connects, as a firewalled port behaves (SYNs silently dropped). */
class SilentSocket extends EventEmitter {
  destroyed = false;
  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

const sockets: SilentSocket[] = [];
vi.mock('node:net', () => ({
  default: {
    connect: () => {
      const socket = new SilentSocket();
      sockets.push(socket);
      return socket;
    },
  },
}));

const { probeTcp } = await import('../../../../src/infra/probes/probe-tcp.js');

describe('probeTcp', () => {
  describe('when the port never answers', () => {
    it('reports timeout at its timeout and drops the socket', async () => {
      const result = await probeTcp({
        kind: 'tcp',
        name: 'mongo',
        host: '127.0.0.9',
        port: 27017,
        timeoutMs: 150,
      });

      expect(result).toMatchObject({
        name: 'mongo',
        target: '127.0.0.9:27017',
        outcome: 'timeout',
        detail: 'timed out after 150ms connecting',
      });
      expect(sockets.at(-1)?.destroyed).toBe(true);
    });
  });
});
