import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackState } from './slack-state.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
}

export interface EnvelopeOptions {
  /** Slack's redelivery of an envelope it got no ack for: 1, 2, … (0 on the first try). */
  readonly retryAttempt?: number;
  readonly retryReason?: string;
  readonly envelopeId?: string;
}

/**
 * Slack's Socket Mode end: `hello` on connect, envelopes pushed to the
 * newest connection, acks `{envelope_id, payload}` collected, `disconnect` frames on demand. The
 * `ws` server answers the client's pings itself.
 */
export function createSocketModeServer(state: SlackState) {
  const wss = new WebSocketServer({ noServer: true });
  const open: WebSocket[] = [];
  const waiting = new Map<string, (ack: SocketAck) => void>();
  const acks: SocketAck[] = [];
  let connections = 0;
  const connectWaiters: { n: number; resolve: () => void }[] = [];

  wss.on('connection', (socket) => {
    connections += 1;
    open.push(socket);
    state.record({ kind: 'socket-connect', detail: String(connections) });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: SocketAck;
      try {
        frame = JSON.parse((data as Buffer).toString('utf8')) as SocketAck;
      } catch {
        return;
      }
      if (typeof frame.envelope_id !== 'string') return;
      acks.push(frame);
      state.record({ kind: 'socket-ack', detail: frame.envelope_id, response: frame.payload });
      waiting.get(frame.envelope_id)?.(frame);
      waiting.delete(frame.envelope_id);
    });
    socket.on('close', () => open.splice(open.indexOf(socket), 1));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: {
          host: 'applink-standin',
          build_number: 10,
          approximate_connection_time: 18060,
        },
        connection_info: { app_id: 'A0STANDIN' },
      }),
    );
    for (const waiter of connectWaiters.filter((w) => connections >= w.n)) {
      connectWaiters.splice(connectWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });

  const newest = (): WebSocket => {
    const socket = open.at(-1);
    if (socket === undefined) throw new Error('no Socket Mode client is connected to the stand-in');
    return socket;
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      if (!(req.url ?? '').startsWith('/link')) return false;
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
    /** Pushes an envelope; resolves with the client's ack. */
    send(
      type: EnvelopeType,
      payload: unknown,
      options: EnvelopeOptions = {},
    ): { envelopeId: string; acked: Promise<SocketAck> } {
      const envelopeId = options.envelopeId ?? randomUUID();
      const acked = new Promise<SocketAck>((resolve) => waiting.set(envelopeId, resolve));
      newest().send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type === 'slash_commands',
          retry_attempt: options.retryAttempt ?? 0,
          retry_reason: options.retryReason ?? '',
        }),
      );
      return { envelopeId, acked };
    },
    /** Asks the client to reconnect, as Slack does before recycling a connection. */
    disconnect(
      reason:
        | 'warning'
        | 'refresh_requested'
        | 'too_many_websockets'
        | 'link_disabled' = 'refresh_requested',
    ): void {
      newest().send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }),
      );
    },
    /** Resolves once `n` connections have been opened in all. */
    connected(n = 1): Promise<void> {
      if (connections >= n) return Promise.resolve();
      return new Promise((resolve) => connectWaiters.push({ n, resolve }));
    },
    get openConnections(): number {
      return open.length;
    },
    acks,
    close(): void {
      for (const socket of [...open]) socket.terminate();
      wss.close();
    },
  };
}

export type SocketModeServer = ReturnType<typeof createSocketModeServer>;
